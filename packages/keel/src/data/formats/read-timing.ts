import { stat } from "node:fs/promises";
import type { ColumnSchema } from "../engine/column-schema.js";
import type { DataFormat } from "../engine/data-format.js";
import type { DataSession } from "../engine/duckdb-session.js";

/** Size and full-read cost of one data file: the numbers of the "optimal formats" lesson. */
export interface FileReadCost {
  /** File path. */
  readonly path: string;
  /** Format it was read as. */
  readonly format: DataFormat;
  /** Size on disk in bytes. */
  readonly bytes: number;
  /** Rows read. */
  readonly rows: number;
  /** Columns read. */
  readonly columns: number;
  /** Wall time to open the file and scan every value of every column, in milliseconds. */
  readonly readMs: number;
}

/**
 * Opens `path` and reads it fully: `count(*)` plus a hash of every column, so no reader can
 * answer from metadata alone (Parquet keeps row counts and min/max in its footer).
 */
export async function measureFullRead(
  session: DataSession,
  path: string,
  format: DataFormat,
  schema?: ColumnSchema,
): Promise<FileReadCost> {
  const { size } = await stat(path);
  const started = performance.now();
  const relation = await session.relationFrom(path, { format, schema });
  const columns = await session.describe(relation);
  const scan = columns.length === 0 ? "" : ", bit_xor(hash(COLUMNS(*)))";
  const [row] = await session.query(`SELECT count(*) AS keel_rows${scan} FROM ${relation}`);
  const readMs = performance.now() - started;
  await session.release(relation);
  return { path, format, bytes: size, rows: Number(row?.keel_rows ?? 0), columns: columns.length, readMs };
}
