/**
 * Reading the prediction log with DuckDB: SQL over every segment (Parquet and the JSONL not yet
 * compacted) and over the feedback log, for monitoring to query or join.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { sqlString } from "../../data/engine/sql-text.js";
import {
  emptyRelationSql,
  FEEDBACK_COLUMNS,
  FEEDBACK_FILE,
  logTime,
  PREDICTION_COLUMNS,
  readJsonLinesSql,
  SEGMENT_PREFIX,
} from "./log-schema.js";

/** Options of {@link readPredictionLog}. */
export interface ReadLogOptions {
  /** Only predictions at or after this time. */
  readonly since?: Date | number | undefined;
  /** Only predictions before this time. */
  readonly until?: Date | number | undefined;
}

/** A relation over log files, as SQL for any DuckDB connection. */
export interface LogRelation {
  /** A SELECT statement (wrap it: `SELECT ... FROM (${sql})`). */
  readonly sql: string;
  /** The files it reads (a snapshot: segments closed later are not included). */
  readonly files: readonly string[];
}

async function segmentFiles(dir: string): Promise<{ parquet: string[]; jsonl: string[] }> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return { parquet: [], jsonl: [] };
  }
  const mine = names.filter((n) => n.startsWith(SEGMENT_PREFIX)).sort();
  const parquet = mine.filter((n) => n.endsWith(".parquet"));
  const compacted = new Set(parquet.map((n) => n.replace(/\.parquet$/, "")));
  // A segment being compacted exists in both forms for a moment: read the Parquet.
  const jsonl = mine.filter((n) => n.endsWith(".jsonl") && !compacted.has(n.replace(/\.jsonl$/, "")));
  return { parquet: parquet.map((n) => join(dir, n)), jsonl: jsonl.map((n) => join(dir, n)) };
}

const ms = (t: Date | number) => (t instanceof Date ? t.getTime() : t);

/**
 * Every logged prediction in `dir` (columns of {@link PREDICTION_COLUMNS}), optionally limited to
 * `[since, until)`.
 *
 * @example
 * const log = await readPredictionLog(".keel/predictions/flights");
 * const rows = await session.query(`SELECT version, count(*) AS n FROM (${log.sql}) GROUP BY version`);
 */
export async function readPredictionLog(dir: string, options: ReadLogOptions = {}): Promise<LogRelation> {
  const { parquet, jsonl } = await segmentFiles(dir);
  const names = Object.keys(PREDICTION_COLUMNS)
    .map((c) => `"${c}"`)
    .join(", ");
  const parts: string[] = [];
  if (parquet.length > 0)
    parts.push(`SELECT ${names} FROM read_parquet([${parquet.map(sqlString).join(", ")}])`);
  if (jsonl.length > 0) parts.push(`SELECT ${names} FROM ${readJsonLinesSql(jsonl, PREDICTION_COLUMNS)}`);
  if (parts.length === 0) return { sql: emptyRelationSql(PREDICTION_COLUMNS), files: [] };
  const where: string[] = [];
  if (options.since !== undefined) where.push(`"time" >= TIMESTAMP ${sqlString(logTime(ms(options.since)))}`);
  if (options.until !== undefined) where.push(`"time" < TIMESTAMP ${sqlString(logTime(ms(options.until)))}`);
  const union = parts.join(" UNION ALL ");
  return {
    sql: where.length === 0 ? union : `SELECT * FROM (${union}) WHERE ${where.join(" AND ")}`,
    files: [...parquet, ...jsonl],
  };
}

/** Every feedback label recorded in `dir` (columns of {@link FEEDBACK_COLUMNS}). */
export async function readFeedbackLog(dir: string): Promise<LogRelation> {
  const file = join(dir, FEEDBACK_FILE);
  const exists = await readdir(dir).then(
    (n) => n.includes(FEEDBACK_FILE),
    () => false,
  );
  if (!exists) return { sql: emptyRelationSql(FEEDBACK_COLUMNS), files: [] };
  return { sql: `SELECT * FROM ${readJsonLinesSql([file], FEEDBACK_COLUMNS)}`, files: [file] };
}

/**
 * Predictions joined with their latest feedback label (`label` NULL when none arrived yet), on
 * request id and row.
 */
export async function readPredictionsWithFeedback(
  dir: string,
  options: ReadLogOptions = {},
): Promise<LogRelation> {
  const [p, f] = await Promise.all([readPredictionLog(dir, options), readFeedbackLog(dir)]);
  const latest = `SELECT request_id, "row", arg_max(label, "time") AS label, max("time") AS label_time FROM (${f.sql}) GROUP BY request_id, "row"`;
  return {
    sql: `SELECT p.*, f.label, f.label_time FROM (${p.sql}) p LEFT JOIN (${latest}) f ON p.request_id = f.request_id AND p."row" = f."row"`,
    files: [...p.files, ...f.files],
  };
}
