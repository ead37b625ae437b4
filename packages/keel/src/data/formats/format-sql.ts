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
 * The DuckDB table-function call that reads `path` as JSON, JSON lines or Parquet. CSV/TSV go
 * through `csvSource` (sniffed once) and Arrow IPC through apache-arrow.
 */
export function readerSql(format: "json" | "jsonl" | "parquet", path: string): string {
  const file = sqlString(path);
  switch (format) {
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
