/**
 * The values of one column on one side of a drift comparison, in the two shapes the tests need:
 * sorted finite numbers in a Float64Array, or counts per category. Missing values (null, NaN,
 * ±Infinity) are never here: they are counted apart, as Evidently drops them before testing.
 */

/** A numerical column: its finite values, sorted ascending. */
export interface NumericalValues {
  /** Always "numerical". */
  readonly kind: "numerical";
  /** Finite values, sorted ascending. */
  readonly sorted: Float64Array;
}

/** A categorical column: non-null values counted by their text. */
export interface CategoricalValues {
  /** Always "categorical". */
  readonly kind: "categorical";
  /** Count per category. */
  readonly counts: ReadonlyMap<string, number>;
  /** Sum of the counts. */
  readonly total: number;
}

/** One side's values of one column. */
export type ColumnValues = NumericalValues | CategoricalValues;

/** Number of tested (non-missing) values. */
export function sizeOf(values: ColumnValues): number {
  return values.kind === "numerical" ? values.sorted.length : values.total;
}

/** Distinct values and their counts, from a sorted array (run lengths). */
export function runLengths(sorted: Float64Array): { values: Float64Array; counts: Float64Array } {
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; ) {
    const v = sorted[i] as number;
    let j = i + 1;
    while (j < sorted.length && sorted[j] === v) j++;
    values.push(v);
    counts.push(j - i);
    i = j;
  }
  return { values: Float64Array.from(values), counts: Float64Array.from(counts) };
}

/** Count per category of any column: numbers keyed by their shortest text (so -0 and 0 merge). */
export function categoryCounts(values: ColumnValues): ReadonlyMap<string, number> {
  if (values.kind === "categorical") return values.counts;
  const { values: v, counts } = runLengths(values.sorted);
  const out = new Map<string, number>();
  for (let i = 0; i < v.length; i++) {
    const key = String(v[i]);
    out.set(key, (out.get(key) ?? 0) + (counts[i] as number));
  }
  return out;
}

/** Number of distinct values of one side. */
export function distinctCount(values: ColumnValues): number {
  return categoryCounts(values).size;
}

/** Number of distinct values of both sides together (Evidently's `n_values`). */
export function unionDistinctCount(a: ColumnValues, b: ColumnValues): number {
  const keys = new Set(categoryCounts(a).keys());
  for (const k of categoryCounts(b).keys()) keys.add(k);
  return keys.size;
}
