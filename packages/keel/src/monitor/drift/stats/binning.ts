/**
 * Evidently's `get_binned_data` over typed arrays: numerical columns with more than 20 distinct
 * reference values are cut into numpy's Sturges bins of the pooled sample
 * (`np.histogram_bin_edges(..., bins="sturges")`, then `np.histogram`); every other column is
 * compared category by category over the union of observed values.
 */
import { type ColumnValues, categoryCounts, distinctCount, sizeOf } from "../column-values.js";
import { fillZeroes } from "./divergences.js";

/** First index with sorted[i] >= x. */
export function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with sorted[i] > x. */
export function upperBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `np.linspace(start, stop, num)`: i * step + start, the last edge exactly `stop`. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const div = num - 1;
  const delta = stop - start;
  const step = delta / div;
  for (let i = 0; i < num; i++) out[i] = step === 0 ? (i / div) * delta + start : i * step + start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

/** numpy's Sturges bin edges for `size` values spanning [min, max]. */
export function sturgesEdges(min: number, max: number, size: number): Float64Array {
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const width = (max - min) / (Math.log2(size) + 1);
  const bins = width ? Math.ceil((last - first) / width) : 1;
  return linspace(first, last, bins + 1);
}

/** `np.histogram(sorted, edges)[0]`: [e_i, e_i+1) bins, the last one closed. */
export function histogramCounts(sorted: Float64Array, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const out = new Float64Array(bins);
  let prev = lowerBound(sorted, edges[0] as number);
  for (let i = 0; i < bins; i++) {
    const next =
      i === bins - 1 ? upperBound(sorted, edges[bins] as number) : lowerBound(sorted, edges[i + 1] as number);
    out[i] = next - prev;
    prev = next;
  }
  return out;
}

/** Reference and current shares per bin (or per category), aligned. */
export interface BinnedShares {
  /** Reference shares. */
  readonly reference: Float64Array;
  /** Current shares. */
  readonly current: Float64Array;
}

/** Share of each category of the union, per side (categories in first-seen order). */
export function categoryShares(ref: ColumnValues, cur: ColumnValues): BinnedShares {
  const rc = categoryCounts(ref);
  const cc = categoryCounts(cur);
  const keys = new Set([...rc.keys(), ...cc.keys()]);
  const nr = sizeOf(ref);
  const nc = sizeOf(cur);
  const reference = new Float64Array(keys.size);
  const current = new Float64Array(keys.size);
  let i = 0;
  for (const k of keys) {
    reference[i] = (rc.get(k) ?? 0) / nr;
    current[i] = (cc.get(k) ?? 0) / nc;
    i++;
  }
  return { reference, current };
}

/** Evidently's `get_binned_data(reference, current, type, n, feel_zeroes)`. */
export function binnedShares(ref: ColumnValues, cur: ColumnValues, fill: boolean): BinnedShares {
  let shares: BinnedShares;
  if (ref.kind === "numerical" && cur.kind === "numerical" && distinctCount(ref) > 20) {
    const r = ref.sorted;
    const c = cur.sorted;
    const min = Math.min(r[0] as number, c[0] as number);
    const max = Math.max(r[r.length - 1] as number, c[c.length - 1] as number);
    const edges = sturgesEdges(min, max, r.length + c.length);
    const reference = histogramCounts(r, edges).map((x) => x / r.length);
    const current = histogramCounts(c, edges).map((x) => x / c.length);
    shares = { reference, current };
  } else shares = categoryShares(ref, cur);
  return fill ? { reference: fillZeroes(shares.reference), current: fillZeroes(shares.current) } : shares;
}
