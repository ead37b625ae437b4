import { invalidParam } from "../../errors.js";
import { columnKind } from "../engine/column-kind.js";
import type { DataSession, PlainRow } from "../engine/duckdb-session.js";
import { sqlIdent } from "../engine/sql-text.js";
import {
  type CategoryCount,
  type ColumnProfile,
  type DatasetProfile,
  type DatetimeUnit,
  type Histogram,
  PROFILE_QUANTILES,
  type ProfileValue,
  type QuantileKey,
} from "./dataset-profile.js";
import {
  type BinPlan,
  histogramSql,
  NUMERIC_BINS,
  type ProfiledColumn,
  quantileSql,
  summarySql,
  topCategoriesSql,
} from "./profile-queries.js";
import { columnWarnings } from "./profile-warnings.js";

/** Options of {@link profileTable}. */
export interface ProfileOptions {
  /** Profile a reservoir sample of this many rows instead of the whole table. */
  readonly sample?: number;
  /** Seed of the sample (default 0), so profiles of the same data are reproducible. */
  readonly seed?: number;
  /** Called before each of the profile's passes (for progress bars). */
  readonly onProgress?: (done: number, total: number, step: string) => void;
}

/** Tables at least this big get HyperLogLog distinct counts instead of exact ones. */
export const EXACT_DISTINCT_MAX_ROWS = 10_000_000;

const STEPS = ["counting rows", "summary statistics", "quantiles", "histograms", "top categories"] as const;

/**
 * Profiles a table, view or query: per-column counts, distinct values, extremes, moments,
 * quantiles, histograms, top categories and data-quality warnings. Every statistic is a DuckDB
 * aggregate; each kind of aggregate is one pass over the data, whatever the column count.
 */
export async function profileTable(
  session: DataSession,
  relation: string,
  options: ProfileOptions = {},
): Promise<DatasetProfile> {
  const started = performance.now();
  const progress = (i: number) => options.onProgress?.(i, STEPS.length, STEPS[i] ?? "done");
  progress(0);
  const source = relation.trim().startsWith('"') ? relation : `(${relation})`;
  const [countRow] = await session.query(`SELECT count(*) AS n FROM ${source}`);
  const totalRows = Number(countRow?.n ?? 0);
  const { table, sample } = await sampled(session, source, totalRows, options);
  try {
    const columns = (await session.describe(table)).map(
      (c, index): ProfiledColumn => ({ index, name: c.name, type: c.type, kind: columnKind(c.type) }),
    );
    progress(1);
    const [summary = {}] = await session.query(
      summarySql(table, columns, totalRows < EXACT_DISTINCT_MAX_ROWS),
    );
    const rows = Number(summary.keel_rows ?? 0);
    progress(2);
    const qSql = quantileSql(table, columns);
    const [quantiles = {}] = qSql === undefined ? [] : await session.query(qSql);
    progress(3);
    const plans = columns.flatMap((c) => binPlan(c, summary));
    const hSql = histogramSql(table, plans);
    const [histograms = {}] = hSql === undefined ? [] : await session.query(hSql);
    progress(4);
    const categorical = columns.filter((c) => c.kind === "string" || c.kind === "boolean");
    const tSql = topCategoriesSql(table, categorical);
    const categories = tSql === undefined ? [] : await session.query(tSql);
    progress(5);

    const profiles = columns.map((c) => {
      const base = columnStats(c, rows, totalRows, summary, quantiles, histograms, categories, plans);
      return { ...base, warnings: columnWarnings(base, rows) };
    });
    return {
      rowCount: rows,
      columnCount: columns.length,
      sample,
      columns: profiles,
      warnings: profiles.flatMap((p) => p.warnings),
      durationMs: performance.now() - started,
    };
  } finally {
    if (sample !== null) await session.run(`DROP TABLE IF EXISTS ${table}`);
  }
}

// A reproducible reservoir sample in a temp table, when asked for and smaller than the table.
async function sampled(
  session: DataSession,
  source: string,
  totalRows: number,
  options: ProfileOptions,
): Promise<{ table: string; sample: DatasetProfile["sample"] }> {
  if (options.sample === undefined) return { table: source, sample: null };
  if (!Number.isInteger(options.sample) || options.sample < 1) {
    throw invalidParam(
      `Invalid sample size ${options.sample}: use a whole number of rows >= 1, e.g. --sample 100000`,
    );
  }
  if (options.sample >= totalRows) return { table: source, sample: null };
  const seed = options.seed ?? 0;
  const table = sqlIdent(`keel_profile_sample_${process.hrtime.bigint()}`);
  await session.run(
    `CREATE TEMP TABLE ${table} AS SELECT * FROM ${source} USING SAMPLE reservoir(${options.sample} ROWS) REPEATABLE (${seed})`,
  );
  return { table, sample: { rows: options.sample, totalRows, seed } };
}

function binPlan(c: ProfiledColumn, summary: PlainRow): BinPlan[] {
  const min = summary[`min${c.index}`];
  const max = summary[`max${c.index}`];
  if (min === null || min === undefined || max === null || max === undefined) return [];
  if (c.kind === "numeric") {
    const lo = Number(min);
    const hi = Number(max);
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
    return [{ column: c, kind: "numeric", min: lo, width: (hi - lo) / NUMERIC_BINS }];
  }
  if (c.kind === "datetime" && min instanceof Date && max instanceof Date) {
    return [{ column: c, kind: "datetime", unit: datetimeUnit(max.getTime() - min.getTime()) }];
  }
  return [];
}

const UNIT_MS: Readonly<Record<DatetimeUnit, number>> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30.44 * 86_400_000,
  year: 365.25 * 86_400_000,
};

/** The finest calendar unit that cuts a span of `spanMs` into at most 60 bins. */
export function datetimeUnit(spanMs: number): DatetimeUnit {
  const units = Object.keys(UNIT_MS) as DatetimeUnit[];
  return units.find((u) => spanMs / UNIT_MS[u] <= 60) ?? "year";
}

function columnStats(
  c: ProfiledColumn,
  rows: number,
  totalRows: number,
  summary: PlainRow,
  quantiles: PlainRow,
  histograms: PlainRow,
  categories: PlainRow[],
  plans: readonly BinPlan[],
): Omit<ColumnProfile, "warnings"> {
  const i = c.index;
  const count = Number(summary[`n${i}`] ?? 0);
  const missing = rows - count;
  const plan = plans.find((p) => p.column.index === i);
  return {
    name: c.name,
    type: c.type,
    kind: c.kind,
    count,
    missing,
    missingShare: rows === 0 ? 0 : missing / rows,
    distinct: Number(summary[`d${i}`] ?? 0),
    distinctExact: totalRows < EXACT_DISTINCT_MAX_ROWS,
    min: profileValue(summary[`min${i}`], c.type),
    max: profileValue(summary[`max${i}`], c.type),
    mean: numberOrNull(summary[`mean${i}`]),
    std: numberOrNull(summary[`std${i}`]),
    skewness: numberOrNull(summary[`skew${i}`]),
    quantiles: quantileRecord(quantiles[`q${i}`], c.type),
    histogram: plan === undefined ? null : toHistogram(plan, histograms[`h${i}`]),
    topCategories:
      c.kind === "string" || c.kind === "boolean"
        ? categories
            .filter((r) => Number(r.col) === i)
            .map((r): CategoryCount => ({ value: String(r.value), count: Number(r.n) }))
        : null,
  };
}

function quantileRecord(list: unknown, type: string): ColumnProfile["quantiles"] {
  if (!Array.isArray(list)) return null;
  const out = {} as Record<QuantileKey, ProfileValue | null>;
  PROFILE_QUANTILES.forEach((q, k) => {
    out[`p${Math.round(q * 100)}` as QuantileKey] = profileValue(list[k], type);
  });
  return out;
}

// DuckDB's histogram() map arrives as [{key, value}]; turn it into ordered bins.
function toHistogram(plan: BinPlan, map: unknown): Histogram {
  const entries = Array.isArray(map) ? (map as { key: unknown; value: unknown }[]) : [];
  if (plan.kind === "numeric") {
    const counts = new Array<number>(plan.width === 0 ? 1 : NUMERIC_BINS).fill(0);
    for (const e of entries) counts[Number(e.key)] = Number(e.value);
    const width = plan.width;
    return {
      kind: "numeric",
      bins: counts.map((count, b) => ({
        start: plan.min + b * width,
        end: b === counts.length - 1 ? plan.min + NUMERIC_BINS * width : plan.min + (b + 1) * width,
        count,
      })),
    };
  }
  const bins = entries
    .map((e) => ({ start: (e.key as Date).getTime(), count: Number(e.value) }))
    .sort((a, b) => a.start - b.start)
    .map((b) => ({ ...b, end: addUnit(b.start, plan.unit) }));
  return { kind: "datetime", unit: plan.unit, bins };
}

function addUnit(ms: number, unit: DatetimeUnit): number {
  const d = new Date(ms);
  if (unit === "month") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  if (unit === "year") return Date.UTC(d.getUTCFullYear() + 1, 0, 1);
  return ms + UNIT_MS[unit];
}

function numberOrNull(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** A statistic as stored in the profile: numbers stay numbers, dates become ISO strings. */
function profileValue(v: unknown, type: string): ProfileValue | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return type === "DATE" ? v.toISOString().slice(0, 10) : v.toISOString();
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return String(v);
  return String(v);
}
