import type { ColumnSchema } from "../engine/column-schema.js";
import type { DataFormat } from "../engine/data-format.js";
import { sqlString } from "../engine/sql-text.js";

/** Parquet codecs DuckDB's COPY accepts under the names Keel exposes. */
const PARQUET_CODEC: Readonly<Record<string, string>> = Object.freeze({
  zstd: "zstd",
  snappy: "snappy",
  gzip: "gzip",
  uncompressed: "uncompressed",
});

/**
 * The DuckDB table-function call that reads `path` as `format` (every format but Arrow IPC,
 * which DuckDB cannot read without its extension). `schema` overrides CSV type inference.
 */
export function readerSql(format: Exclude<DataFormat, "arrow">, path: string, schema?: ColumnSchema): string {
  const file = sqlString(path);
  switch (format) {
    case "csv":
    case "tsv": {
      // The RFC 4180 dialect, stated: the sniffer then fails on ragged rows instead of silently
      // reading each line as one column, and skips its dialect search (~50 ms per read).
      const dialect = `delim = ${sqlString(csvDelimiter(format))}, quote = '"', escape = '"'`;
      return `read_csv(${file}, ${dialect}${csvTypes(schema)})`;
    }
    case "json":
      return `read_json(${file}, format = 'auto')`;
    case "jsonl":
      return `read_json(${file}, format = 'newline_delimited')`;
    case "parquet":
      return `read_parquet(${file})`;
  }
}

/** The field delimiter of a delimited-text format. */
export function csvDelimiter(format: "csv" | "tsv"): string {
  return format === "tsv" ? "\t" : ",";
}

/** The option list of `COPY ... TO path (...)` for `format`. */
export function writerOptions(format: Exclude<DataFormat, "arrow">, compression?: string): string {
  switch (format) {
    case "csv":
      return "FORMAT csv, HEADER true";
    case "tsv":
      return `FORMAT csv, HEADER true, DELIMITER ${sqlString(csvDelimiter("tsv"))}`;
    case "json":
      return "FORMAT json, ARRAY true";
    case "jsonl":
      return "FORMAT json";
    case "parquet":
      return `FORMAT parquet, COMPRESSION ${PARQUET_CODEC[compression ?? "zstd"] ?? "zstd"}`;
  }
}

// read_csv's `types` struct: names and type names are quoted as string literals.
function csvTypes(schema: ColumnSchema | undefined): string {
  const entries = Object.entries(schema ?? {});
  if (entries.length === 0) return "";
  return `, types = {${entries.map(([col, type]) => `${sqlString(col)}: ${sqlString(type)}`).join(", ")}}`;
}
