/**
 * logBatch on SQLite, synchronously, with prepared single-row statements (better-sqlite3's fastest
 * pattern: no query building, no multi-row SQL to hash, one cached statement per shape). It runs
 * inside a group-commit transaction (sqlite-group-commit.ts) and follows the same rules as the
 * Kysely writer (run-data-writer.ts) through run-data-rows.ts: params write-once, metrics
 * append-only with `latest_metrics` moving forward only, tags overwritten, reserved tags mirrored.
 */
import { notFound } from "../errors.js";
import type { Metric, Param, Tag } from "./entities.js";
import {
  LATEST_METRIC_IS_NEWER_SQL,
  latestPerKey,
  mirroredRunColumns,
  paramConflictError,
  toMetricRow,
} from "./run-data-rows.js";
import { assertRunActive } from "./runs-repository.js";
import type { MetricRow, RunRow } from "./schema.js";
import type { SqliteSession } from "./sqlite-driver.js";
import type { LogBatch } from "./tracking-store.js";

const SELECT_RUN = "select run_uuid, lifecycle_stage from runs where run_uuid = ?";
const SELECT_PARAM = "select value from params where run_uuid = ? and key = ?";
const INSERT_PARAM = "insert into params (run_uuid, key, value) values (?, ?, ?)";
/** Rows per multi-row metric INSERT: fewer calls into the driver, 300 parameters per statement. */
const METRIC_ROWS_PER_INSERT = 50;
/** INSERT of `rows` metric rows; logging the very same measurement twice stores it once. */
const insertMetricsSql = (rows: number) =>
  `insert into metrics (run_uuid, key, value, timestamp, step, is_nan) values ${Array(rows).fill("(?, ?, ?, ?, ?, ?)").join(", ")} on conflict do nothing`;
const INSERT_METRIC = insertMetricsSql(1);
const INSERT_METRICS = insertMetricsSql(METRIC_ROWS_PER_INSERT);
const UPSERT_LATEST_METRIC = `insert into latest_metrics (run_uuid, key, value, timestamp, step, is_nan)
  values (?, ?, ?, ?, ?, ?)
  on conflict (run_uuid, key) do update set value = excluded.value, timestamp = excluded.timestamp,
    step = excluded.step, is_nan = excluded.is_nan
  where ${LATEST_METRIC_IS_NEWER_SQL}`;
const UPSERT_TAG =
  "insert into tags (run_uuid, key, value) values (?, ?, ?) on conflict (run_uuid, key) do update set value = excluded.value";
const SET_RUN_NAME = "update runs set run_name = ? where run_uuid = ?";
const SET_PARENT_RUN = "update runs set parent_run_id = ? where run_uuid = ?";

/** Write a validated batch to an active run, within the session's open transaction. */
export function logBatchSqlite(session: SqliteSession, runId: string, batch: LogBatch): void {
  const run = session.prepare(SELECT_RUN).get(String(runId)) as
    | Pick<RunRow, "run_uuid" | "lifecycle_stage">
    | undefined;
  if (!run) throw notFound(`Run with id=${runId} not found`);
  assertRunActive(run);
  writeParams(session, run.run_uuid, batch.params ?? []);
  writeMetrics(session, run.run_uuid, batch.metrics ?? []);
  writeTags(session, run.run_uuid, batch.tags ?? []);
}

function writeParams(session: SqliteSession, runId: string, params: readonly Param[]): void {
  if (params.length === 0) return;
  const select = session.prepare(SELECT_PARAM);
  const insert = session.prepare(INSERT_PARAM);
  const stored = new Map<string, string>();
  for (const p of params) {
    const value = (select.get(runId, p.key) as { value: string } | undefined)?.value;
    if (value === undefined) insert.run(runId, p.key, p.value);
    // Whatever is stored now is the first value ever logged: compare it with what was asked.
    stored.set(p.key, value ?? p.value);
  }
  const conflict = paramConflictError(runId, params, (key) => stored.get(key));
  if (conflict) throw conflict;
}

/** Primary-key order (key, step, timestamp, value): inserts in it touch each b-tree page once. */
function byPrimaryKey(a: MetricRow, b: MetricRow): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  return a.step - b.step || a.timestamp - b.timestamp || a.value - b.value || 0;
}

function writeMetrics(session: SqliteSession, runId: string, metrics: readonly Metric[]): void {
  if (metrics.length === 0) return;
  const rows: MetricRow[] = new Array(metrics.length);
  for (let i = 0; i < metrics.length; i++) rows[i] = toMetricRow(runId, metrics[i]!);
  rows.sort(byPrimaryKey);
  insertMetricRows(session, rows);
  // One candidate per key, then a conditional upsert: the stored latest only moves forward.
  const upsert = session.prepare(UPSERT_LATEST_METRIC);
  for (const row of latestPerKey(rows).values()) {
    upsert.run(row.run_uuid, row.key, row.value, row.timestamp, row.step, row.is_nan);
  }
}

function insertMetricRows(session: SqliteSession, rows: readonly MetricRow[]): void {
  const full = rows.length - (rows.length % METRIC_ROWS_PER_INSERT);
  if (full > 0) {
    const insertMany = session.prepare(INSERT_METRICS);
    const args: unknown[] = new Array(METRIC_ROWS_PER_INSERT * 6);
    for (let start = 0; start < full; start += METRIC_ROWS_PER_INSERT) {
      for (let i = 0; i < METRIC_ROWS_PER_INSERT; i++) {
        const row = rows[start + i]!;
        const a = i * 6;
        args[a] = row.run_uuid;
        args[a + 1] = row.key;
        args[a + 2] = row.value;
        args[a + 3] = row.timestamp;
        args[a + 4] = row.step;
        args[a + 5] = row.is_nan;
      }
      insertMany.run(args);
    }
  }
  const insertOne = session.prepare(INSERT_METRIC);
  for (let i = full; i < rows.length; i++) {
    const row = rows[i]!;
    insertOne.run(row.run_uuid, row.key, row.value, row.timestamp, row.step, row.is_nan);
  }
}

function writeTags(session: SqliteSession, runId: string, tags: readonly Tag[]): void {
  if (tags.length === 0) return;
  // In order, so the last value of a repeated key wins.
  const upsert = session.prepare(UPSERT_TAG);
  for (const t of tags) upsert.run(runId, t.key, t.value);
  const { runName, parentRunId } = mirroredRunColumns(tags);
  if (runName !== undefined) session.prepare(SET_RUN_NAME).run(runName, runId);
  if (parentRunId !== undefined) session.prepare(SET_PARENT_RUN).run(parentRunId, runId);
}
