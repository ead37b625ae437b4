/**
 * Reads a data file (Parquet, CSV, JSON, Arrow...) through the DuckDB engine into a typed
 * column {@link Table}, the input every learner takes.
 */
import { DataSession } from "../../data/engine/duckdb-session.js";
import { invalidParam, isKeelError } from "../../errors.js";
import type { Table } from "../core/table.js";

/**
 * The whole file at `path` as a table. A missing, unreadable or empty file is a KeelError that
 * names the file; the role (`--data`, `--test`) goes into the message so the user knows which.
 */
export async function loadTable(path: string, role = "--data"): Promise<Table> {
  let table: Table;
  try {
    table = await DataSession.use(async (session) => {
      const rel = await session.relationFrom(path);
      return session.queryColumns(`SELECT * FROM ${rel}`);
    });
  } catch (e) {
    if (isKeelError(e)) {
      e.message = `${role} ${path}: ${e.message}`;
      throw e;
    }
    throw e;
  }
  if (table.rowCount === 0 || table.columns.length === 0) {
    throw invalidParam(`${role} ${path} has no rows: give a file with a header and at least one data row`);
  }
  return table;
}
