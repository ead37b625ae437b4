import type { ExpectationKind } from "./expectation-kinds.js";

/** A row that broke an expectation: its 1-based data row number (header excluded) and value. */
export interface FailingExample {
  /** Row number, counting data rows from 1 in file order. */
  readonly row: number;
  /** The offending value (null for not_null). */
  readonly value: unknown;
}

/** The statistic an expectation was judged on: a number, a type name, or an observed range. */
export type ObservedValue =
  | number
  | string
  | boolean
  | null
  | { readonly min: unknown; readonly max: unknown };

/** The outcome of one expectation. */
export interface ExpectationResult {
  /** Position in the expectations file (0-based). */
  readonly index: number;
  /** Expectation kind. */
  readonly expectation: ExpectationKind;
  /** Column the expectation is about, or null for table-level ones. */
  readonly column: string | null;
  /** The arguments as validated (defaults filled in). */
  readonly args: Readonly<Record<string, unknown>>;
  /** True when the expectation holds. */
  readonly success: boolean;
  /**
   * What was observed: the passing share for row checks (compare with `mostly`), the range for
   * `between`, the type for `column_type`, the statistic for row count, mean and median.
   */
  readonly observed: ObservedValue;
  /** Rows the check counted (all rows for not_null, non-null rows otherwise); row checks only. */
  readonly elementCount?: number;
  /** Rows that broke it; row checks only. */
  readonly unexpectedCount?: number;
  /** unexpectedCount / elementCount (0 when no rows counted). */
  readonly unexpectedFraction?: number;
  /** Up to five failing rows, lowest row numbers first. */
  readonly examples?: readonly FailingExample[];
  /** Why a check could not run normally (e.g. its column is missing). */
  readonly note?: string;
}

/** The outcome of validating one data file against one expectations file. */
export interface ValidationReport {
  /** The data file. */
  readonly data: string;
  /** The expectations file. */
  readonly expectations: string;
  /** Rows in the data. */
  readonly rowCount: number;
  /** True when every expectation holds. */
  readonly success: boolean;
  /** Number of expectations that failed. */
  readonly failed: number;
  /** One result per expectation, in file order. */
  readonly results: readonly ExpectationResult[];
}
