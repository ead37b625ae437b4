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

/** Number of distinct values of a sorted array (-0 and 0 are one value, as in {@link categoryCounts}). */
export function sortedDistinctCount(sorted: Float64Array): number {
  let runs = sorted.length > 0 ? 1 : 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) runs++;
  return runs;
}

/** Distinct values and their counts, from a sorted array (run lengths). */
export function runLengths(sorted: Float64Array): { values: Float64Array; counts: Float64Array } {
  // Two passes into typed arrays: a million distinct values must not become a million pushes.
  const values = new Float64Array(sortedDistinctCount(sorted));
  const counts = new Float64Array(values.length);
  let k = -1;
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i] as number;
    if (k < 0 || v !== values[k]) values[++k] = v;
    counts[k] = (counts[k] as number) + 1;
  }
  return { values, counts };
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
  // Numbers are counted on the sorted array: keying a million doubles by their text takes seconds.
  return values.kind === "numerical" ? sortedDistinctCount(values.sorted) : values.counts.size;
}

/**
 * Number of distinct values of both sides together (Evidently's `n_values`). With `atMost`, numbers
 * stop being counted past it (the answer is then `atMost + 1`): the test choice only asks "> 5?".
 */
export function unionDistinctCount(a: ColumnValues, b: ColumnValues, atMost = Infinity): number {
  if (a.kind === "numerical" && b.kind === "numerical")
    return mergedDistinctCount(a.sorted, b.sorted, atMost);
  const keys = new Set(categoryCounts(a).keys());
  for (const k of categoryCounts(b).keys()) keys.add(k);
  return keys.size;
}

// Distinct values of the union of two sorted arrays, walked as a merge without building it.
function mergedDistinctCount(a: Float64Array, b: Float64Array, atMost: number): number {
  let i = 0;
  let j = 0;
  let runs = 0;
  while ((i < a.length || j < b.length) && runs <= atMost) {
    const v = Math.min(
      i < a.length ? (a[i] as number) : Infinity,
      j < b.length ? (b[j] as number) : Infinity,
    );
    runs++;
    while (i < a.length && a[i] === v) i++;
    while (j < b.length && b[j] === v) j++;
  }
  return runs;
}
