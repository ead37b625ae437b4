import type { ColumnKind } from "../engine/column-kind.js";

/** Quantile levels every numeric and datetime column reports, as `p1`...`p99` keys. */
export const PROFILE_QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] as const;

/** `p1`, `p5`, `p25`, `p50`, `p75`, `p95`, `p99`. */
export type QuantileKey = "p1" | "p5" | "p25" | "p50" | "p75" | "p95" | "p99";

/** A profile value: a number, or an ISO-8601 string for datetimes and text for strings. */
export type ProfileValue = number | string;

/** One histogram bin: `[start, end)` (the last bin is closed); datetimes in epoch milliseconds. */
export interface HistogramBin {
  /** Inclusive lower edge. */
  readonly start: number;
  /** Upper edge (exclusive, except the last bin). */
  readonly end: number;
  /** Non-null values in the bin. */
  readonly count: number;
}

/** Equal-width bins (numbers) or calendar bins (datetimes: by minute, hour, day, week, month or year). */
export interface Histogram {
  /** "numeric" for 20 equal-width bins; "datetime" for calendar bins. */
  readonly kind: "numeric" | "datetime";
  /** Calendar unit of datetime bins. */
  readonly unit?: DatetimeUnit;
  /** Bins in ascending order, empty bins included (numeric) or omitted (datetime). */
  readonly bins: readonly HistogramBin[];
}

/** Calendar units datetime histograms bin by. */
export type DatetimeUnit = "minute" | "hour" | "day" | "week" | "month" | "year";

/** A frequent value and how often it occurs. */
export interface CategoryCount {
  /** The value as text. */
  readonly value: string;
  /** Rows holding it. */
  readonly count: number;
}

/** Kinds of data-quality warnings a profile raises. */
export type ProfileWarningKind = "constant" | "high_cardinality" | "skewed" | "high_missing" | "all_missing";

/** One data-quality warning about one column. */
export interface ProfileWarning {
  /** What is wrong. */
  readonly kind: ProfileWarningKind;
  /** The column concerned. */
  readonly column: string;
  /** Human sentence with the number behind it. */
  readonly message: string;
}

/** Statistics of one column. Fields that do not apply to the column's kind are null. */
export interface ColumnProfile {
  /** Column name. */
  readonly name: string;
  /** DuckDB type. */
  readonly type: string;
  /** numeric, boolean, datetime or string (every other type is profiled as text). */
  readonly kind: ColumnKind;
  /** Non-null values. */
  readonly count: number;
  /** Null values. */
  readonly missing: number;
  /** missing / rows (0 for an empty table). */
  readonly missingShare: number;
  /** Distinct non-null values. */
  readonly distinct: number;
  /** False when `distinct` is DuckDB's HyperLogLog estimate (tables of 10M rows or more). */
  readonly distinctExact: boolean;
  /** Smallest value (ISO string for datetimes, lexicographic for text). */
  readonly min: ProfileValue | null;
  /** Largest value. */
  readonly max: ProfileValue | null;
  /** Mean (numeric; share of true for booleans). */
  readonly mean: number | null;
  /** Sample standard deviation (numeric). */
  readonly std: number | null;
  /** Sample skewness (numeric). */
  readonly skewness: number | null;
  /** Quantiles: interpolated for numbers, nearest value (ISO strings) for datetimes. */
  readonly quantiles: Readonly<Record<QuantileKey, ProfileValue | null>> | null;
  /** Distribution of numeric and datetime columns. */
  readonly histogram: Histogram | null;
  /** The 10 most frequent values of text and boolean columns, most frequent first. */
  readonly topCategories: readonly CategoryCount[] | null;
  /** Warnings about this column. */
  readonly warnings: readonly ProfileWarning[];
}

/** The profile of a table: what `keel data profile` prints and versioning stores in summary. */
export interface DatasetProfile {
  /** Rows profiled (the sample size when sampled). */
  readonly rowCount: number;
  /** Number of columns. */
  readonly columnCount: number;
  /** Present when a random sample was profiled instead of the whole table. */
  readonly sample: { readonly rows: number; readonly totalRows: number; readonly seed: number } | null;
  /** Per-column statistics, in table order. */
  readonly columns: readonly ColumnProfile[];
  /** All warnings of all columns. */
  readonly warnings: readonly ProfileWarning[];
  /** Wall time of the profile, in milliseconds. */
  readonly durationMs: number;
}

/** A compact profile (no histograms, quantiles or categories) for storing beside a dataset version. */
export interface ProfileSummary {
  /** Rows. */
  readonly rowCount: number;
  /** Per-column name, type and headline statistics. */
  readonly columns: readonly Pick<
    ColumnProfile,
    "name" | "type" | "kind" | "missing" | "distinct" | "min" | "max" | "mean" | "std"
  >[];
  /** Warning count by kind. */
  readonly warnings: Readonly<Partial<Record<ProfileWarningKind, number>>>;
}

/** The {@link ProfileSummary} of a profile. */
export function summarizeProfile(profile: DatasetProfile): ProfileSummary {
  const warnings: Partial<Record<ProfileWarningKind, number>> = {};
  for (const w of profile.warnings) warnings[w.kind] = (warnings[w.kind] ?? 0) + 1;
  return {
    rowCount: profile.rowCount,
    columns: profile.columns.map(({ name, type, kind, missing, distinct, min, max, mean, std }) => ({
      name,
      type,
      kind,
      missing,
      distinct,
      min,
      max,
      mean,
      std,
    })),
    warnings,
  };
}
