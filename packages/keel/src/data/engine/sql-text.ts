/**
 * Quoting for the few places where SQL text must carry a name or a path (table functions and
 * COPY take no bound parameters for file names). Everything user-provided goes through here.
 */

/** A SQL string literal: single quotes doubled, NUL refused (DuckDB would truncate). */
export function sqlString(value: string): string {
  if (value.includes("\0")) throw new TypeError("SQL string literal contains a NUL character");
  return `'${value.replaceAll("'", "''")}'`;
}

/** A quoted SQL identifier: double quotes doubled. */
export function sqlIdent(name: string): string {
  if (name.includes("\0")) throw new TypeError("SQL identifier contains a NUL character");
  return `"${name.replaceAll('"', '""')}"`;
}
