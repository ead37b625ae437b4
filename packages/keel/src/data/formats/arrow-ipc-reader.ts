import { readFile } from "node:fs/promises";
import { DuckDBDataChunk } from "@duckdb/node-api";
import { RecordBatchReader } from "apache-arrow";
import { invalidParam } from "../../errors.js";
import type { DataSession } from "../engine/duckdb-session.js";
import { sqlIdent } from "../engine/sql-text.js";
import { planArrowColumn } from "./arrow-to-duckdb.js";

// DuckDB's vector size: a data chunk holds at most this many rows.
const CHUNK_ROWS = 2048;

/**
 * Loads an Arrow IPC file (file or stream format) into a new temporary table `table` (already
 * quoted) through DuckDB's appender, one data chunk of column vectors at a time.
 */
export async function loadArrowFile(session: DataSession, path: string, table: string): Promise<void> {
  const bytes = await readFile(path);
  let reader: RecordBatchReader;
  try {
    reader = RecordBatchReader.from(bytes);
    reader.open();
  } catch (error) {
    throw invalidParam(`${path}: not a valid Arrow IPC file (${(error as Error).message})`);
  }
  const fields = reader.schema.fields;
  const plans = fields.map((f) => planArrowColumn(f, path));
  const columnsSql = fields.map((f, i) => `${sqlIdent(f.name)} ${plans[i]?.duckType.toString()}`).join(", ");
  await session.run(`CREATE TEMP TABLE ${table} (${columnsSql})`);
  const appender = await session.connection.createAppender(unquote(table), "main", "temp");
  const types = plans.map((p) => p.duckType);
  try {
    for (const batch of reader) {
      const readers = plans.map((p, c) =>
        p.reader(batch.getChildAt(c)?.data[0] ?? failColumn(path, fields[c]?.name)),
      );
      for (let start = 0; start < batch.numRows; start += CHUNK_ROWS) {
        const rows = Math.min(CHUNK_ROWS, batch.numRows - start);
        const chunk = DuckDBDataChunk.create(types, rows);
        for (let c = 0; c < readers.length; c++) {
          const read = readers[c];
          const vector = chunk.getColumnVector(c);
          if (read === undefined) continue;
          for (let r = 0; r < rows; r++) vector.setItem(r, read(start + r));
          vector.flush();
        }
        appender.appendDataChunk(chunk);
      }
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

function unquote(quoted: string): string {
  return quoted.slice(1, -1).replaceAll('""', '"');
}

function failColumn(path: string, name: string | undefined): never {
  throw invalidParam(`${path}: record batch is missing column '${name}'; the Arrow file is inconsistent`);
}
