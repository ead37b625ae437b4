import type { ColumnSchema } from "../engine/column-schema.js";
import type { DataSession } from "../engine/duckdb-session.js";
import { sqlString } from "../engine/sql-text.js";
import { csvDelimiter } from "./format-sql.js";

/**
 * The `read_csv(...)` call for a CSV/TSV file, with everything DuckDB's sniffer detected (header,
 * column names and types, date formats) written out and auto-detection off. The file is sniffed
 * once here instead of at every bind of every query over it (~25 ms each on a 100 MB file).
 * `schema` overrides the detected types. Sniffer failures are thrown raw so the caller can
 * locate the bad line (see `diagnoseCsv`).
 */
export async function csvSource(
  session: DataSession,
  path: string,
  format: "csv" | "tsv",
  schema: ColumnSchema | undefined,
): Promise<string> {
  const file = sqlString(path);
  // The RFC 4180 dialect from the first line, stated: the sniffer then fails on ragged rows
  // instead of silently reading each line as one column or skipping the lines that do not fit,
  // and it skips its dialect search.
  const dialect = `delim = ${sqlString(csvDelimiter(format))}, quote = '"', escape = '"', skip = 0`;
  const types = Object.entries(schema ?? {});
  const typesArg =
    types.length === 0
      ? ""
      : `, types = {${types.map(([c, t]) => `${sqlString(c)}: ${sqlString(t)}`).join(", ")}}`;
  const reader = await session.connection.runAndReadAll(
    `SELECT HasHeader AS header, Columns AS columns, DateFormat AS dateformat, ` +
      `TimestampFormat AS timestampformat FROM sniff_csv(${file}, ${dialect}${typesArg})`,
  );
  const [sniffed] = reader.getRowObjectsJS() as {
    header: boolean;
    columns: { name: string; type: string }[];
    dateformat: string | null;
    timestampformat: string | null;
  }[];
  if (sniffed === undefined) throw new Error(`sniff_csv returned no row for ${path}`);
  const columns = sniffed.columns.map((c) => `${sqlString(c.name)}: ${sqlString(c.type)}`).join(", ");
  const formats =
    (sniffed.dateformat ? `, dateformat = ${sqlString(sniffed.dateformat)}` : "") +
    (sniffed.timestampformat ? `, timestampformat = ${sqlString(sniffed.timestampformat)}` : "");
  return (
    `read_csv(${file}, auto_detect = false, header = ${sniffed.header ? "true" : "false"}, ` +
    `${dialect}, columns = {${columns}}${formats})`
  );
}
