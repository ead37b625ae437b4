/** The result of a drift comparison: per-column tests and the dataset verdict. */
import type { DriftKind, StatTestName } from "./stat-tests.js";

/** What a column is to the model: an input feature, a model output, or the ground truth. */
export type ColumnRole = "feature" | "prediction" | "target";

/** Missing values of one column on one side. */
export interface SideSummary {
  /** Rows on this side. */
  readonly rows: number;
  /** Values tested (not null, not NaN, not ±Infinity). */
  readonly values: number;
  /** Rows without a usable value. */
  readonly missing: number;
  /** missing / rows (0 when there are no rows). */
  readonly missingShare: number;
  /** Distinct tested values. */
  readonly distinct: number;
}

/** A category seen in the current data but never in the reference. */
export interface NewCategory {
  /** The value as text. */
  readonly value: string;
  /** Rows of the current side holding it. */
  readonly count: number;
}

/** Both sides' distributions on common bins or categories (shares of tested values), for charts. */
export type DriftDistribution =
  | {
      /** Equal-width bins over both sides' range. */
      readonly kind: "numerical";
      /** Bin edges (bins + 1). */
      readonly edges: readonly number[];
      /** Reference share per bin. */
      readonly reference: readonly number[];
      /** Current share per bin. */
      readonly current: readonly number[];
    }
  | {
      /** The most frequent categories (both sides together), the rest folded into "(other)". */
      readonly kind: "categorical";
      /** Category labels. */
      readonly categories: readonly string[];
      /** Reference share per category. */
      readonly reference: readonly number[];
      /** Current share per category. */
      readonly current: readonly number[];
    };

/** The drift test of one column. */
export interface ColumnDrift {
  /** Column name. */
  readonly column: string;
  /** Feature, prediction or target. */
  readonly role: ColumnRole;
  /** How the column was compared. */
  readonly kind: DriftKind;
  /** DuckDB type of the reference column. */
  readonly type: string;
  /** The test (Evidently's name); null when the column could not be tested. */
  readonly method: StatTestName | null;
  /** The test's display name. */
  readonly methodName: string | null;
  /** True when the method was chosen by Evidently's default rule, false when overridden. */
  readonly defaultMethod: boolean;
  /** p-value or distance; null when not tested. */
  readonly score: number | null;
  /** The test statistic behind a p-value (KS D, chi-square, z), when there is one. */
  readonly statistic: number | null;
  /** Threshold the score was compared with. */
  readonly threshold: number | null;
  /** Whether the column drifted. */
  readonly drifted: boolean;
  /** Reference side. */
  readonly reference: SideSummary;
  /** Current side. */
  readonly current: SideSummary;
  /** current.missingShare - reference.missingShare. */
  readonly missingShareChange: number;
  /** Current categories absent from the reference, most frequent first (at most 20). */
  readonly newCategories: readonly NewCategory[];
  /** Number of distinct new categories (may exceed the list). */
  readonly newCategoryCount: number;
  /** Distributions for charts. */
  readonly distribution: DriftDistribution | null;
  /** Why the column was not tested, or facts worth knowing (constant column, exact/asymptotic KS). */
  readonly notes: readonly string[];
}

/** The dataset verdict and every column's test. */
export interface DriftReport {
  /** Rows of the reference. */
  readonly referenceRows: number;
  /** Rows of the current data. */
  readonly currentRows: number;
  /** One entry per compared column, in reference order. */
  readonly columns: readonly ColumnDrift[];
  /** Feature columns tested (the denominator of the share). */
  readonly numberOfColumns: number;
  /** Feature columns that drifted. */
  readonly numberOfDriftedColumns: number;
  /** numberOfDriftedColumns / numberOfColumns (0 when none was tested). */
  readonly shareOfDriftedColumns: number;
  /** Share of drifted features at or above which the dataset drifted. */
  readonly driftShare: number;
  /** True when shareOfDriftedColumns >= driftShare. */
  readonly datasetDrift: boolean;
  /** Whether any prediction column drifted; null without prediction columns. */
  readonly predictionDrift: boolean | null;
  /** Whether the target drifted; null without a tested target. */
  readonly targetDrift: boolean | null;
  /** Columns only the reference has. */
  readonly onlyInReference: readonly string[];
  /** Columns only the current data has. */
  readonly onlyInCurrent: readonly string[];
  /** Columns left out, with the reason (datetime columns unless asked for). */
  readonly skipped: readonly { readonly column: string; readonly reason: string }[];
  /** Wall time in milliseconds. */
  readonly durationMs: number;
}
