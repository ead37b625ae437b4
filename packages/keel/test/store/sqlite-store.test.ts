/** The metadata store contract on SQLite (a fresh temp file per store). */
import { afterAll } from "vitest";
import { openMetadataStore } from "../../src/store/open-metadata-store.js";
import { makeTempDir } from "../support/temp-dir.js";
import { defineMetadataStoreContract } from "./store-contract.js";

const temp = makeTempDir("keel-sqlite-store");
let count = 0;
afterAll(() => temp.cleanup());

defineMetadataStoreContract("SQLite", () => openMetadataStore(`${temp.dir}/store-${++count}/keel.db`));
