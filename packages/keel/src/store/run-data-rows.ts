/**
 * The backend-independent rules of logBatch, shared by the Kysely writer (PostgreSQL, and SQLite
 * for everything but logBatch) and the synchronous SQLite writer: the stored form of a metric,
 * MLflow's "latest" order, the param-conflict messages and the run columns mirrored by tags.
 */
import { invalidParam, type KeelError } from "../errors.js";
import type { Metric, Param, Tag } from "./entities.js";
import { PARENT_RUN_ID_TAG, RUN_NAME_TAG } from "./run-tags.js";
import type { MetricRow } from "./schema.js";

/**
 * The condition under which an upsert of `latest_metrics` replaces the stored row (MLflow's order:
 * step, then timestamp, then value), as SQL over `excluded` and the stored row.
 */
export const LATEST_METRIC_IS_NEWER_SQL = `(excluded.step > latest_metrics.step
  OR (excluded.step = latest_metrics.step AND excluded.timestamp > latest_metrics.timestamp)
  OR (excluded.step = latest_metrics.step AND excluded.timestamp = latest_metrics.timestamp
      AND excluded.value > latest_metrics.value))`;

/** The stored form of a metric: NaN becomes value 0 with is_nan = 1 (MLflow). */
export function toMetricRow(runId: string, m: Metric): MetricRow {
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

/** The most recent row of each key among `rows`: the candidates for `latest_metrics`. */
export function latestPerKey(rows: readonly MetricRow[]): Map<string, MetricRow> {
  const latest = new Map<string, MetricRow>();
  for (const row of rows) {
    const current = latest.get(row.key);
    if (!current || isNewer(row, current)) latest.set(row.key, row);
  }
  return latest;
}

/**
 * MLflow's error when params already stored for `runId` (`storedValue(key)`, the first value
 * ever logged) differ from the ones asked for; undefined when none differ.
 */
export function paramConflictError(
  runId: string,
  params: readonly Param[],
  storedValue: (key: string) => string | undefined,
): KeelError | undefined {
  const conflicts: { key: string; old: string; new: string }[] = [];
  for (const p of params) {
    const stored = storedValue(p.key);
    if (stored !== p.value) conflicts.push({ key: p.key, old: stored ?? "", new: p.value });
  }
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    return invalidParam(
      `Changing param values is not allowed. Param with key='${c.key}' was already logged with value='${c.old}' for run ID='${runId}'. Attempted logging new value '${c.new}'. Log the new value in a new (e.g. nested) run instead.`,
    );
  }
  if (conflicts.length > 1) {
    const list = conflicts.map((c) => `key='${c.key}' old value='${c.old}' new value='${c.new}'`).join("; ");
    return invalidParam(
      `Changing param values is not allowed. Params were already logged for run ID='${runId}' with other values: ${list}. Log the new values in a new (e.g. nested) run instead.`,
    );
  }
  return undefined;
}

/** Run columns that reserved tags mirror (MLflow's set_tag updates the run name the same way). */
export interface MirroredRunColumns {
  /** New `runs.run_name`, from the last `mlflow.runName` tag. */
  readonly runName: string | undefined;
  /** New `runs.parent_run_id`, from the last `mlflow.parentRunId` tag. */
  readonly parentRunId: string | undefined;
}

/** The run columns that `tags` change. */
export function mirroredRunColumns(tags: readonly Tag[]): MirroredRunColumns {
  return {
    runName: tags.findLast((t) => t.key === RUN_NAME_TAG)?.value,
    parentRunId: tags.findLast((t) => t.key === PARENT_RUN_ID_TAG)?.value,
  };
}
