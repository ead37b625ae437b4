/** The metadata store contract on a real PostgreSQL cluster (a fresh database per store). */
import { afterAll, beforeAll } from "vitest";
import { openMetadataStore } from "../../src/store/open-metadata-store.js";
import { type PostgresHandle, startPostgres } from "../support/postgres.js";
import { defineMetadataStoreContract } from "./store-contract.js";

let postgres: PostgresHandle | undefined;

beforeAll(async () => {
  postgres = await startPostgres();
}, 120_000);

afterAll(async () => {
  await postgres?.stop();
}, 60_000);

defineMetadataStoreContract("PostgreSQL", async () => {
  if (!postgres) throw new Error("PostgreSQL did not start; see the beforeAll error");
  return openMetadataStore(await postgres.createDatabase(), { defaultArtifactRoot: "mlflow-artifacts:/" });
});
