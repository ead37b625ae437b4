/**
 * The prediction log's on-disk contract, shared by the writer, the Parquet compactor and the
 * reader: one JSON line (or Parquet row) per predicted row, columns typed once here.
 */
import { sqlString } from "../../data/engine/sql-text.js";

/** One logged prediction row. */
export interface PredictionRecord {
  /** Request id (the V2 `id`, `X-Request-Id`, or generated), echoed to the client. */
  readonly request_id: string;
  /** Row index within the request. */
  readonly row: number;
  /** UTC time the request arrived, `YYYY-MM-DD HH:MM:SS.mmm`. */
  readonly time: string;
  /** Endpoint (or served model) name the request addressed. */
  readonly endpoint: string;
  /** Model name of the version that answered. */
  readonly model: string;
  /** Model version that answered. */
  readonly version: string;
  /** Input values by column. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** `label` and `probabilities` (classifiers) or `prediction` (regressors). */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Server-side latency of the request in milliseconds. */
  readonly latency_ms: number;
  /** True for a shadow copy: logged, never returned to the client. */
  readonly shadow: boolean;
}

/** One ground-truth label for a logged prediction. */
export interface FeedbackRecord {
  /** Request id of the prediction. */
  readonly request_id: string;
  /** Row within the request (0 for single-row requests). */
  readonly row: number;
  /** The true label (or value). */
  readonly label: string | number | boolean;
  /** UTC time the label was recorded. */
  readonly time: string;
}

/** DuckDB types of the prediction columns, in file order. */
export const PREDICTION_COLUMNS = Object.freeze({
  request_id: "VARCHAR",
  row: "INTEGER",
  time: "TIMESTAMP",
  endpoint: "VARCHAR",
  model: "VARCHAR",
  version: "VARCHAR",
  inputs: "JSON",
  outputs: "JSON",
  latency_ms: "DOUBLE",
  shadow: "BOOLEAN",
});

/** DuckDB types of the feedback columns. */
export const FEEDBACK_COLUMNS = Object.freeze({
  request_id: "VARCHAR",
  row: "INTEGER",
  label: "JSON",
  time: "TIMESTAMP",
});

/** Segment files: `predictions-<utc stamp>-<pid>-<seq>.jsonl`, compacted to `.parquet`. */
export const SEGMENT_PREFIX = "predictions-";

/** The feedback log's file name inside a prediction log folder. */
export const FEEDBACK_FILE = "feedback.jsonl";

/** UTC `YYYY-MM-DD HH:MM:SS.mmm` (DuckDB reads it as TIMESTAMP). */
export function logTime(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
}

/** `{name: 'TYPE', ...}` for DuckDB's `read_json(columns = ...)`. */
export function columnsStruct(columns: Readonly<Record<string, string>>): string {
  return `{${Object.entries(columns)
    .map(([k, t]) => `${sqlString(k)}: ${sqlString(t)}`)
    .join(", ")}}`;
}

/** `read_json` over newline-delimited files with a fixed schema; a torn last line is skipped. */
export function readJsonLinesSql(
  files: readonly string[],
  columns: Readonly<Record<string, string>>,
): string {
  return `read_json([${files.map(sqlString).join(", ")}], format = 'newline_delimited', columns = ${columnsStruct(columns)}, ignore_errors = true)`;
}

/** An empty relation with the given columns. */
export function emptyRelationSql(columns: Readonly<Record<string, string>>): string {
  return `SELECT ${Object.entries(columns)
    .map(([k, t]) => `NULL::${t} AS "${k}"`)
    .join(", ")} WHERE false`;
}
