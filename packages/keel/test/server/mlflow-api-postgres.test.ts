import { startPostgres } from "../support/postgres.js";
import { defineMlflowApiSuite } from "./mlflow-api-suite.js";

defineMlflowApiSuite("PostgreSQL", async () => {
  const pg = await startPostgres();
  return { uri: pg.uri, kind: "postgresql", stop: () => pg.stop() };
});
