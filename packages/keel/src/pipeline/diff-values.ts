/**
 * Comparing two snapshots the way `dvc metrics diff` / `dvc params diff` do: one row per metric
 * (file, key) or param, with the old value, the new one and, for metrics, the change. By
 * default only rows that differ; `all` keeps unchanged ones.
 */

import type { MetricsSnapshot, ParamsSnapshot } from "./snapshots.js";
import { DEFAULT_PARAMS_FILE } from "./spec-keys.js";

/** One metric in both revisions. */
export interface MetricChange {
  /** Metrics file ("" when a plain run is compared by name). */
  readonly path: string;
  readonly key: string;
  readonly old: number | null;
  readonly new: number | null;
  /** new - old, when both exist. */
  readonly change: number | null;
}

/** One param in both revisions. */
export interface ParamChange {
  /** Params file. */
  readonly path: string;
  readonly key: string;
  readonly old: string | null;
  readonly new: string | null;
}

/** Rows keyed `path\0key`; a flat snapshot on either side compares by key alone. */
function metricRows(
  s: MetricsSnapshot,
  byKeyOnly: boolean,
): Map<string, { path: string; key: string; value: number }> {
  const rows = new Map<string, { path: string; key: string; value: number }>();
  for (const [path, values] of s.files) {
    for (const [key, value] of values) rows.set(byKeyOnly ? key : `${path}\0${key}`, { path, key, value });
  }
  return rows;
}

/** Metric changes from `a` to `b`, sorted by file then key. */
export function diffMetrics(a: MetricsSnapshot, b: MetricsSnapshot, all = false): MetricChange[] {
  const byKeyOnly = a.flat || b.flat;
  const ra = metricRows(a, byKeyOnly);
  const rb = metricRows(b, byKeyOnly);
  const out: MetricChange[] = [];
  for (const id of new Set([...ra.keys(), ...rb.keys()])) {
    const x = ra.get(id);
    const y = rb.get(id);
    const old = x?.value ?? null;
    const now = y?.value ?? null;
    if (!all && old === now) continue;
    out.push({
      path: y?.path || x?.path || "",
      key: (y ?? x)?.key ?? id,
      old,
      new: now,
      change: old !== null && now !== null ? now - old : null,
    });
  }
  return out.sort((p, q) => p.path.localeCompare(q.path) || p.key.localeCompare(q.key));
}

/** `other.yaml:train.lr` -> [other.yaml, train.lr]; `train.lr` -> [params.yaml, train.lr]. */
function splitParamKey(runKey: string): [string, string] {
  const m = /^([^:]+\.(?:ya?ml|json)):(.+)$/i.exec(runKey);
  return m ? [m[1] as string, m[2] as string] : [DEFAULT_PARAMS_FILE, runKey];
}

/** Param changes from `a` to `b`, sorted by file then key. */
export function diffParams(a: ParamsSnapshot, b: ParamsSnapshot, all = false): ParamChange[] {
  const out: ParamChange[] = [];
  for (const k of new Set([...a.values.keys(), ...b.values.keys()])) {
    const old = a.values.get(k) ?? null;
    const now = b.values.get(k) ?? null;
    if (!all && old === now) continue;
    const [path, key] = splitParamKey(k);
    out.push({ path, key, old, new: now });
  }
  return out.sort((p, q) => p.path.localeCompare(q.path) || p.key.localeCompare(q.key));
}
