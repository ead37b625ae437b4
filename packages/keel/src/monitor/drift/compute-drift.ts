/**
 * `computeDrift`: per-column drift tests between a reference and a current relation with
 * Evidently's default test selection, per-column overrides, missing-value and new-category
 * reports, and the dataset verdict (share of drifted features >= driftShare).
 */

import { type ColumnKind, columnKind } from "../../data/engine/column-kind.js";
import type { ColumnInfo, DataSession } from "../../data/engine/duckdb-session.js";
import { invalidParam } from "../../errors.js";
import { type ColumnValues, categoryCounts, distinctCount, sizeOf } from "./column-values.js";
import type {
  ColumnDrift,
  ColumnRole,
  DriftDistribution,
  DriftReport,
  NewCategory,
  SideSummary,
} from "./drift-report.js";
import { countRows, fetchColumnValues, finishColumnValues } from "./read-column-values.js";
import { type DriftKind, defaultStatTest, type StatTest, type StatTestName, statTest } from "./stat-tests.js";
import { histogramCounts, linspace } from "./stats/binning.js";

/** Options of {@link computeDrift}. */
export interface DriftOptions {
  /** Columns to compare (default: every column both sides have, datetimes excepted). */
  readonly columns?: readonly string[];
  /** Test per column, overriding Evidently's default choice. */
  readonly methods?: Readonly<Record<string, StatTestName | string>>;
  /** Threshold per column, overriding the test's default. */
  readonly thresholds?: Readonly<Record<string, number>>;
  /** Share of drifted feature columns at or above which the dataset drifted (default 0.5). */
  readonly driftShare?: number;
  /** Roles of model output and ground-truth columns; every other column is a feature. */
  readonly roles?: Readonly<Record<string, Exclude<ColumnRole, "feature">>>;
  /** Bins of the numerical distributions in the report (default 20). */
  readonly histogramBins?: number;
  /** Called before each column is read and tested. */
  readonly onProgress?: (done: number, total: number, column: string) => void;
}

/** Default share of drifted columns that makes the dataset drift (Evidently's `drift_share`). */
export const DEFAULT_DRIFT_SHARE = 0.5;

const MAX_NEW_CATEGORIES = 20;
const MAX_CHART_CATEGORIES = 12;

/**
 * Compares `current` with `reference` column by column. Both are relations of `session` (a view
 * name from `relationFrom`, or a SELECT statement). Numbers are read as sorted Float64Arrays and
 * categories as DuckDB counts, one column at a time, so memory stays at two columns.
 *
 * @throws KeelError INVALID_PARAMETER_VALUE when a side has no rows, the sides share no column,
 *   or an option names an unknown column, method or bad threshold.
 * @example
 * const ref = await session.relationFrom("data/train.parquet");
 * const cur = await session.relationFrom("data/april.parquet");
 * const report = await computeDrift(session, ref, cur, { methods: { distance: "psi" } });
 * if (report.datasetDrift) console.log(`${report.numberOfDriftedColumns} columns drifted`);
 */
export async function computeDrift(
  session: DataSession,
  reference: string,
  current: string,
  options: DriftOptions = {},
): Promise<DriftReport> {
  const started = performance.now();
  const driftShare = options.driftShare ?? DEFAULT_DRIFT_SHARE;
  if (!(driftShare > 0 && driftShare <= 1)) {
    throw invalidParam(`Invalid drift share ${driftShare}: use a number in (0, 1], e.g. --drift-share 0.5`);
  }
  const [refCols, curCols] = [await session.describe(reference), await session.describe(current)];
  const [referenceRows, currentRows] = [
    await countRows(session, reference),
    await countRows(session, current),
  ];
  if (referenceRows === 0) throw invalidParam("The reference data has no rows: nothing to compare against.");
  if (currentRows === 0) {
    throw invalidParam("The current data has no rows (an empty file, or no predictions in the time window).");
  }
  const curTypes = new Map(curCols.map((c) => [c.name, c.type]));
  const refNames = new Set(refCols.map((c) => c.name));
  const common = refCols.filter((c) => curTypes.has(c.name));
  const { selected, skipped } = selectColumns(common, refNames, curTypes, options.columns);
  if (selected.length === 0) {
    throw invalidParam(
      `The reference and current data have no column to compare; reference: ${[...refNames].join(", ") || "(none)"}; current: ${[...curTypes.keys()].join(", ") || "(none)"}`,
    );
  }
  const names = new Set(selected.map((c) => c.name));
  const methods = checkedMethods(options.methods ?? {}, names);
  const thresholds = checkedThresholds(options.thresholds ?? {}, names);
  for (const col of Object.keys(options.roles ?? {})) {
    if (!names.has(col) && !refNames.has(col) && !curTypes.has(col)) {
      throw invalidParam(`Column '${col}' has a role but is in neither side`);
    }
  }

  const kinds = selected.map((info) => driftKind(columnKind(info.type)));
  selected.forEach((info, i) => {
    const method = methods.get(info.name);
    if (method !== undefined && !method.kinds.includes(kinds[i]!)) {
      throw invalidParam(
        `Method '${method.name}' cannot test column '${info.name}' (${kinds[i]}); it applies to ${method.kinds.join(" and ")} columns`,
      );
    }
  });
  // Column i + 1 is read by DuckDB (on its threads) while column i is sorted and tested here; the
  // reads stay one after the other because one connection runs one query at a time.
  const fetchPair = (i: number) => {
    const info = selected[i]!;
    const kind = kinds[i]!;
    const curType = curTypes.get(info.name) ?? info.type;
    return fetchColumnValues(session, reference, info.name, info.type, kind).then(async (ref) => ({
      ref,
      cur: await fetchColumnValues(session, current, info.name, curType, kind),
    }));
  };
  const columns: ColumnDrift[] = [];
  let next = fetchPair(0);
  for (const [i, info] of selected.entries()) {
    options.onProgress?.(i, selected.length, info.name);
    const fetched = await next;
    if (i + 1 < selected.length) {
      next = fetchPair(i + 1);
      // Rejections surface when awaited in the next iteration, not as unhandled ones meanwhile.
      next.catch(() => {});
    }
    columns.push(
      testColumn(
        info,
        kinds[i]!,
        finishColumnValues(fetched.ref),
        finishColumnValues(fetched.cur),
        referenceRows,
        currentRows,
        {
          role: options.roles?.[info.name] ?? "feature",
          method: methods.get(info.name),
          threshold: thresholds.get(info.name),
          bins: options.histogramBins ?? 20,
        },
      ),
    );
  }
  options.onProgress?.(selected.length, selected.length, "");
  const features = columns.filter((c) => c.role === "feature" && c.score !== null);
  const drifted = features.filter((c) => c.drifted).length;
  const share = features.length === 0 ? 0 : drifted / features.length;
  const verdict = (role: ColumnRole) => {
    const tested = columns.filter((c) => c.role === role && c.score !== null);
    return tested.length === 0 ? null : tested.some((c) => c.drifted);
  };
  return {
    referenceRows,
    currentRows,
    columns,
    numberOfColumns: features.length,
    numberOfDriftedColumns: drifted,
    shareOfDriftedColumns: share,
    driftShare,
    datasetDrift: features.length > 0 && share >= driftShare,
    predictionDrift: verdict("prediction"),
    targetDrift: verdict("target"),
    onlyInReference: refCols.filter((c) => !curTypes.has(c.name)).map((c) => c.name),
    onlyInCurrent: curCols.filter((c) => !refNames.has(c.name)).map((c) => c.name),
    skipped,
    durationMs: performance.now() - started,
  };
}

function driftKind(kind: ColumnKind): DriftKind {
  return kind === "numeric" || kind === "datetime" ? "numerical" : "categorical";
}

// Explicit columns must exist on both sides; by default datetimes are left out, as Evidently
// treats them as the time axis rather than a feature.
function selectColumns(
  common: readonly ColumnInfo[],
  refNames: ReadonlySet<string>,
  curTypes: ReadonlyMap<string, string>,
  wanted: readonly string[] | undefined,
): { selected: ColumnInfo[]; skipped: { column: string; reason: string }[] } {
  if (wanted !== undefined) {
    for (const col of wanted) {
      if (!refNames.has(col) || !curTypes.has(col)) {
        const side =
          !refNames.has(col) && !curTypes.has(col)
            ? "either side"
            : !refNames.has(col)
              ? "the reference"
              : "the current data";
        throw invalidParam(
          `Unknown column '${col}' in --columns: it is not in ${side}; columns of both: ${common.map((c) => c.name).join(", ")}`,
        );
      }
    }
    const set = new Set(wanted);
    return { selected: common.filter((c) => set.has(c.name)), skipped: [] };
  }
  const skipped = common
    .filter((c) => columnKind(c.type) === "datetime")
    .map((c) => ({
      column: c.name,
      reason: `${c.type} column: a time axis, not a feature (name it in --columns to test it)`,
    }));
  return { selected: common.filter((c) => columnKind(c.type) !== "datetime"), skipped };
}

function checkedMethods(
  methods: Readonly<Record<string, string>>,
  names: ReadonlySet<string>,
): Map<string, StatTest> {
  const out = new Map<string, StatTest>();
  for (const [col, name] of Object.entries(methods)) {
    if (!names.has(col))
      throw invalidParam(
        `--method names column '${col}', which is not compared; compared: ${[...names].join(", ")}`,
      );
    out.set(col, statTest(name));
  }
  return out;
}

function checkedThresholds(
  thresholds: Readonly<Record<string, number>>,
  names: ReadonlySet<string>,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [col, t] of Object.entries(thresholds)) {
    if (!names.has(col))
      throw invalidParam(
        `--threshold names column '${col}', which is not compared; compared: ${[...names].join(", ")}`,
      );
    if (!Number.isFinite(t) || t < 0)
      throw invalidParam(`Invalid threshold ${t} for column '${col}': use a number >= 0`);
    out.set(col, t);
  }
  return out;
}

function side(values: ColumnValues, rows: number): SideSummary {
  const n = sizeOf(values);
  return {
    rows,
    values: n,
    missing: rows - n,
    missingShare: rows === 0 ? 0 : (rows - n) / rows,
    distinct: distinctCount(values),
  };
}

interface ColumnChoice {
  readonly role: ColumnRole;
  readonly method: StatTest | undefined;
  readonly threshold: number | undefined;
  readonly bins: number;
}

function testColumn(
  info: ColumnInfo,
  kind: DriftKind,
  ref: ColumnValues,
  cur: ColumnValues,
  refRows: number,
  curRows: number,
  choice: ColumnChoice,
): ColumnDrift {
  const reference = side(ref, refRows);
  const current = side(cur, curRows);
  const { list, count } = newCategories(kind, ref, cur);
  const base = {
    column: info.name,
    role: choice.role,
    kind,
    type: info.type,
    reference,
    current,
    missingShareChange: current.missingShare - reference.missingShare,
    newCategories: list,
    newCategoryCount: count,
  };
  const notes: string[] = [];
  if (reference.values === 0 || current.values === 0) {
    const which = reference.values === 0 ? "reference" : "current data";
    notes.push(`no values in the ${which} (all missing): not tested, not counted in the drift share`);
    return {
      ...base,
      method: null,
      methodName: null,
      defaultMethod: choice.method === undefined,
      score: null,
      statistic: null,
      threshold: null,
      drifted: false,
      distribution: null,
      notes,
    };
  }
  const test = choice.method ?? defaultStatTest(kind, ref, cur);
  const threshold = choice.threshold ?? test.defaultThreshold;
  const outcome = test.run(ref, cur);
  if (reference.distinct === 1) notes.push("the reference is constant");
  if (outcome.detail !== undefined) notes.push(`${test.name} p-value: ${outcome.detail}`);
  if (count > 0) notes.push(`${count} categor${count === 1 ? "y" : "ies"} unseen in the reference`);
  return {
    ...base,
    method: test.name,
    methodName: test.displayName,
    defaultMethod: choice.method === undefined,
    score: outcome.score,
    statistic: outcome.statistic ?? null,
    threshold,
    drifted: test.drifted(outcome.score, threshold),
    distribution: distribution(ref, cur, choice.bins),
    notes,
  };
}

function newCategories(
  kind: DriftKind,
  ref: ColumnValues,
  cur: ColumnValues,
): { list: NewCategory[]; count: number } {
  if (kind !== "categorical") return { list: [], count: 0 };
  const known = categoryCounts(ref);
  const fresh = [...categoryCounts(cur)]
    .filter(([v]) => !known.has(v))
    .map(([value, count]) => ({ value, count }));
  fresh.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
  return { list: fresh.slice(0, MAX_NEW_CATEGORIES), count: fresh.length };
}

function distribution(ref: ColumnValues, cur: ColumnValues, bins: number): DriftDistribution {
  if (ref.kind === "numerical" && cur.kind === "numerical") {
    const lo = Math.min(ref.sorted[0] as number, cur.sorted[0] as number);
    const hi = Math.max(
      ref.sorted[ref.sorted.length - 1] as number,
      cur.sorted[cur.sorted.length - 1] as number,
    );
    const edges = lo === hi ? Float64Array.of(lo - 0.5, hi + 0.5) : linspace(lo, hi, bins + 1);
    const share = (s: Float64Array) => Array.from(histogramCounts(s, edges), (c) => c / s.length);
    return {
      kind: "numerical",
      edges: Array.from(edges),
      reference: share(ref.sorted),
      current: share(cur.sorted),
    };
  }
  const rc = categoryCounts(ref);
  const cc = categoryCounts(cur);
  const nr = sizeOf(ref);
  const nc = sizeOf(cur);
  const keys = [...new Set([...rc.keys(), ...cc.keys()])];
  const weight = (k: string) => (rc.get(k) ?? 0) / nr + (cc.get(k) ?? 0) / nc;
  keys.sort((a, b) => weight(b) - weight(a) || (a < b ? -1 : 1));
  const top = keys.slice(0, MAX_CHART_CATEGORIES);
  const rest = keys.slice(MAX_CHART_CATEGORIES);
  const sum = (m: ReadonlyMap<string, number>, ks: string[]) => ks.reduce((s, k) => s + (m.get(k) ?? 0), 0);
  const categories = rest.length > 0 ? [...top, "(other)"] : top;
  const reference = top.map((k) => (rc.get(k) ?? 0) / nr);
  const current = top.map((k) => (cc.get(k) ?? 0) / nc);
  if (rest.length > 0) {
    reference.push(sum(rc, rest) / nr);
    current.push(sum(cc, rest) / nc);
  }
  return { kind: "categorical", categories, reference, current };
}
