/**
 * logBatch and metric history: params write-once, metrics append-only with `latest_metrics` kept by
 * MLflow's rule, tags overwritten. Every write is an idempotent statement (ON CONFLICT), so
 * concurrent writers on PostgreSQL cannot race each other into duplicate-key errors.
 * This is the Kysely writer (PostgreSQL); SQLite's logBatch takes the synchronous, group-committed
 * path of sqlite-run-data-writer.ts, and both share the rules of run-data-rows.ts.
 */
import { sql } from "kysely";
import { chunked } from "./batching.js";
import type { Metric, Page, Param, Tag } from "./entities.js";
import { toMetric } from "./entity-mappers.js";
import {
  LATEST_METRIC_IS_NEWER_SQL,
  latestPerKey,
  mirroredRunColumns,
  paramConflictError,
  toMetricRow,
} from "./run-data-rows.js";
import { assertRunActive, getRunRow, upsertRunTags } from "./runs-repository.js";
import type { Executor, MetricRow } from "./schema.js";
import { clampMaxResults, decodePageToken, encodePageToken } from "./search/filter-parser.js";
import type { LogBatch } from "./tracking-store.js";

/** Rows per multi-row INSERT: 6 columns each stays far below both backends' parameter limits. */
const INSERT_CHUNK = 500;

/** MLflow's page size limit for metric history. */
const METRIC_HISTORY_MAX_RESULTS = 25_000;

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
  const conflict = paramConflictError(runId, params, (key) => storedByKey.get(key));
  if (conflict) throw conflict;
}

async function writeMetrics(trx: Executor, runId: string, metrics: Metric[]): Promise<void> {
  if (metrics.length === 0) return;
  const unique = new Map<string, MetricRow>();
  for (const m of metrics) {
    const row = toMetricRow(runId, m);
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
  for (const chunk of chunked([...latestPerKey(rows).values()].sort(byKey), INSERT_CHUNK)) {
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
          .where(sql.raw<boolean>(LATEST_METRIC_IS_NEWER_SQL)),
      )
      .execute();
  }
}

async function writeTags(trx: Executor, runId: string, tags: Tag[]): Promise<void> {
  if (tags.length === 0) return;
  await upsertRunTags(trx, runId, tags);
  const { runName, parentRunId: parent } = mirroredRunColumns(tags);
  if (runName !== undefined) {
    await trx.updateTable("runs").set({ run_name: runName }).where("run_uuid", "=", runId).execute();
  }
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
