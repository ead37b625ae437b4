import { existsSync } from "node:fs";
import type { DataSession } from "./duckdb-session.js";

// `FROM 'x.arrow'` / `JOIN 'x.feather'`: a quoted file path DuckDB cannot read without its
// arrow extension. Quotes inside the literal are doubled, as in SQL.
const ARROW_TABLE_REF = /\b(FROM|JOIN)(\s+)'((?:[^']|'')+\.(?:arrow|feather|arrows|ipc))'/gi;

/**
 * Makes a user's query runnable here: Arrow IPC files named directly after FROM or JOIN are
 * loaded through apache-arrow and the literal is replaced by the registered view. Every other
 * path (CSV, Parquet, JSON, globs) DuckDB reads natively. Paths inside function calls such as
 * `read_csv('x.arrow')` are left alone.
 */
export async function prepareUserSql(session: DataSession, sql: string): Promise<string> {
  const paths = new Map<string, string>();
  for (const match of sql.matchAll(ARROW_TABLE_REF)) {
    const path = (match[3] ?? "").replaceAll("''", "'");
    if (!paths.has(path) && existsSync(path))
      paths.set(path, await session.relationFrom(path, { format: "arrow" }));
  }
  if (paths.size === 0) return sql;
  return sql.replace(ARROW_TABLE_REF, (whole, keyword: string, space: string, literal: string) => {
    const view = paths.get(literal.replaceAll("''", "'"));
    return view === undefined ? whole : `${keyword}${space}${view}`;
  });
}
