/**
 * Converts closed JSONL segments of the prediction log to Parquet in the background, one at a
 * time, with one lazily opened in-memory DuckDB. A segment becomes `<name>.parquet` (written to a
 * temp file and renamed) and only then is the JSONL deleted, so readers always find every row in
 * exactly one of the two (the reader prefers the Parquet when both exist).
 */
import { rename, rm } from "node:fs/promises";
import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { sqlString } from "../../data/engine/sql-text.js";
import { PREDICTION_COLUMNS, readJsonLinesSql } from "./log-schema.js";

/** Queue of segments to convert; failures are reported, never thrown. */
export class ParquetCompactor {
  readonly #onError: (error: unknown, file: string) => void;
  #db: { instance: DuckDBInstance; connection: DuckDBConnection } | undefined;
  #chain: Promise<void> = Promise.resolve();

  /** @param onError - called with each failed conversion (the JSONL segment stays readable). */
  constructor(onError: (error: unknown, file: string) => void) {
    this.#onError = onError;
  }

  /** Queues `jsonlPath` for conversion. */
  enqueue(jsonlPath: string): void {
    this.#chain = this.#chain.then(() => this.#convert(jsonlPath));
  }

  /** Resolves when every queued conversion has finished. */
  idle(): Promise<void> {
    return this.#chain;
  }

  /** Waits for queued conversions and closes DuckDB. */
  async close(): Promise<void> {
    await this.#chain;
    this.#db?.connection.closeSync();
    this.#db?.instance.closeSync();
    this.#db = undefined;
  }

  async #convert(jsonlPath: string): Promise<void> {
    const parquet = jsonlPath.replace(/\.jsonl$/, ".parquet");
    const temp = `${parquet}.tmp`;
    try {
      const { connection } = await this.#open();
      await connection.run(
        `COPY (SELECT * FROM ${readJsonLinesSql([jsonlPath], PREDICTION_COLUMNS)}) TO ${sqlString(temp)} (FORMAT parquet, COMPRESSION zstd)`,
      );
      await rename(temp, parquet);
      await rm(jsonlPath, { force: true });
    } catch (e) {
      await rm(temp, { force: true }).catch(() => undefined);
      this.#onError(e, jsonlPath);
    }
  }

  async #open(): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
    if (this.#db) return this.#db;
    const { DuckDBInstance } = await import("@duckdb/node-api");
    // One thread: compaction is background work and must not compete with inference.
    const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
    this.#db = { instance, connection: await instance.connect() };
    return this.#db;
  }
}
