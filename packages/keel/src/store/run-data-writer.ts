/**
 * logBatch and metric history: params write-once, metrics append-only with `latest_metrics` kept by
 * MLflow's rule, tags overwritten. Every write is an idempotent statement (ON CONFLICT), so
 * concurrent writers on PostgreSQL cannot race each other into duplicate-key errors.
 */
import { sql } from "kysely";
import { invalidParam } from "../errors.js";
import { chunked } from "./batching.js";
import type { Metric, Page, Param, Tag } from "./entities.js";
import { toMetric } from "./entity-mappers.js";
import { PARENT_RUN_ID_TAG, RUN_NAME_TAG } from "./run-tags.js";
import { assertRunActive, getRunRow, upsertRunTags } from "./runs-repository.js";
import type { Executor, MetricRow } from "./schema.js";
import { clampMaxResults, decodePageToken, encodePageToken } from "./search/filter-parser.js";
import type { LogBatch } from "./tracking-store.js";

/** Rows per multi-row INSERT: 6 columns each stays far below both backends' parameter limits. */
const INSERT_CHUNK = 500;

/** MLflow's page size limit for metric history. */
const METRIC_HISTORY_MAX_RESULTS = 25_000;

/** The stored form of a metric: NaN becomes value 0 with is_nan = 1 (MLflow). */
function toRow(runId: string, m: Metric): MetricRow {
  const isNan = Number.isNaN(m.value);
  return {
    run_uuid: runId,
    key: m.key,
    value: isNan ? 0 : m.value,
    timestamp: m.timestamp,
    step: m.step,
    is_nan: isNan ? 1 : 0,
  };
}

/** MLflow's "more recent" order: step, then timestamp, then value. */
function isNewer(a: MetricRow, b: MetricRow): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  return a.value > b.value;
}

/** Key order: rows are always written in it, so concurrent writers lock rows in the same order. */
const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Write a validated batch to an active run, atomically within `trx`. */
export async function logBatch(trx: Executor, runId: string, batch: LogBatch): Promise<void> {
  const run = await getRunRow(trx, runId);
  assertRunActive(run);
  await writeParams(trx, run.run_uuid, batch.params ?? []);
  await writeMetrics(trx, run.run_uuid, batch.metrics ?? []);
  await writeTags(trx, run.run_uuid, batch.tags ?? []);
}

async function writeParams(trx: Executor, runId: string, params: Param[]): Promise<void> {
  if (params.length === 0) return;
  await trx
    .insertInto("params")
    .values(params.map((p) => ({ run_uuid: runId, key: p.key, value: p.value })).sort(byKey))
    .onConflict((oc) => oc.columns(["run_uuid", "key"]).doNothing())
    .execute();
  // Whatever is stored now is the first value ever logged: compare it with what was asked.
  const stored = await trx
    .selectFrom("params")
    .select(["key", "value"])
    .where("run_uuid", "=", runId)
    .where(
      "key",
      "in",
      params.map((p) => p.key),
    )
    .execute();
  const storedByKey = new Map(stored.map((p) => [p.key, p.value]));
  const conflicts = params
    .filter((p) => storedByKey.get(p.key) !== p.value)
    .map((p) => ({ key: p.key, old: storedByKey.get(p.key) ?? "", new: p.value }));
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    throw invalidParam(
      `Changing param values is not allowed. Param with key='${c.key}' was already logged with value='${c.old}' for run ID='${runId}'. Attempted logging new value '${c.new}'. Log the new value in a new (e.g. nested) run instead.`,
    );
  }
  if (conflicts.length > 1) {
    const list = conflicts.map((c) => `key='${c.key}' old value='${c.old}' new value='${c.new}'`).join("; ");
    throw invalidParam(
      `Changing param values is not allowed. Params were already logged for run ID='${runId}' with other values: ${list}. Log the new values in a new (e.g. nested) run instead.`,
    );
  }
}

async function writeMetrics(trx: Executor, runId: string, metrics: Metric[]): Promise<void> {
  if (metrics.length === 0) return;
  const unique = new Map<string, MetricRow>();
  for (const m of metrics) {
    const row = toRow(runId, m);
    unique.set(`${row.key}\u0000${row.step}\u0000${row.timestamp}\u0000${row.value}\u0000${row.is_nan}`, row);
  }
  const rows = [...unique.values()].sort(byKey);
  for (const chunk of chunked(rows, INSERT_CHUNK)) {
    await trx
      .insertInto("metrics")
      .values(chunk)
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  // One candidate per key, then a conditional upsert: the stored latest only moves forward.
  const latest = new Map<string, MetricRow>();
  for (const row of rows) {
    const current = latest.get(row.key);
    if (!current || isNewer(row, current)) latest.set(row.key, row);
  }
  for (const chunk of chunked([...latest.values()].sort(byKey), INSERT_CHUNK)) {
    await trx
      .insertInto("latest_metrics")
      .values(chunk)
      .onConflict((oc) =>
        oc
          .columns(["run_uuid", "key"])
          .doUpdateSet({
            value: (eb) => eb.ref("excluded.value"),
            timestamp: (eb) => eb.ref("excluded.timestamp"),
            step: (eb) => eb.ref("excluded.step"),
            is_nan: (eb) => eb.ref("excluded.is_nan"),
          })
          .where(
            sql<boolean>`(excluded.step > latest_metrics.step
              OR (excluded.step = latest_metrics.step AND excluded.timestamp > latest_metrics.timestamp)
              OR (excluded.step = latest_metrics.step AND excluded.timestamp = latest_metrics.timestamp
                  AND excluded.value > latest_metrics.value))`,
          ),
      )
      .execute();
  }
}

async function writeTags(trx: Executor, runId: string, tags: Tag[]): Promise<void> {
  if (tags.length === 0) return;
  await upsertRunTags(trx, runId, tags);
  // Reserved tags mirror run columns (MLflow's set_tag updates the run name the same way).
  const runName = tags.findLast((t) => t.key === RUN_NAME_TAG)?.value;
  if (runName !== undefined) {
    await trx.updateTable("runs").set({ run_name: runName }).where("run_uuid", "=", runId).execute();
  }
  const parent = tags.findLast((t) => t.key === PARENT_RUN_ID_TAG)?.value;
  if (parent !== undefined) {
    await trx.updateTable("runs").set({ parent_run_id: parent }).where("run_uuid", "=", runId).execute();
  }
}

/** Every logged value of one metric of a run, ordered by step, timestamp, value; paged. */
export async function getMetricHistory(
  trx: Executor,
  runId: string,
  key: string,
  options: { maxResults?: number; pageToken?: string } = {},
): Promise<Page<Metric>> {
  const maxResults = clampMaxResults(options.maxResults, {
    default: METRIC_HISTORY_MAX_RESULTS,
    max: METRIC_HISTORY_MAX_RESULTS,
  });
  const offset = decodePageToken(options.pageToken);
  const run = await getRunRow(trx, runId);
  const rows = await trx
    .selectFrom("metrics")
    .select(["key", "value", "timestamp", "step", "is_nan"])
    .where("run_uuid", "=", run.run_uuid)
    .where("key", "=", key)
    .orderBy("step")
    .orderBy("timestamp")
    .orderBy("is_nan")
    .orderBy("value")
    .limit(maxResults + 1)
    .offset(offset)
    .execute();
  return {
    items: rows.slice(0, maxResults).map(toMetric),
    nextPageToken: rows.length > maxResults ? encodePageToken(offset + maxResults) : undefined,
  };
}
