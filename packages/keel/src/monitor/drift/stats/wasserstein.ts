/**
 * First Wasserstein distance between two samples (`scipy.stats.wasserstein_distance` without
 * weights): the area between the two empirical CDFs, walked over the merged sorted values.
 */

/**
 * W1 of two sorted, NaN-free, non-empty samples.
 *
 * @example
 * wasserstein(Float64Array.of(0, 1, 3), Float64Array.of(5, 6, 8)); // 5
 */
export function wasserstein(u: Float64Array, v: Float64Array): number {
  const nu = u.length;
  const nv = v.length;
  if (nu === 0 || nv === 0) throw new RangeError("wasserstein needs two non-empty samples");
  let i = 0;
  let j = 0;
  let total = 0;
  // The previous pooled value, and the CDFs just after it.
  let prev = Math.min(u[0] as number, v[0] as number);
  while (i < nu || j < nv) {
    const ui = i < nu ? (u[i] as number) : Number.POSITIVE_INFINITY;
    const vj = j < nv ? (v[j] as number) : Number.POSITIVE_INFINITY;
    const x = Math.min(ui, vj);
    // CDFs on [prev, x) are those after consuming every value <= prev.
    total += Math.abs(i / nu - j / nv) * (x - prev);
    while (i < nu && (u[i] as number) <= x) i++;
    while (j < nv && (v[j] as number) <= x) j++;
    prev = x;
  }
  return total;
}

/** Population standard deviation (numpy's `np.std`, ddof 0), two-pass for accuracy. */
export function populationStd(x: Float64Array): number {
  const n = x.length;
  if (n === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i] as number;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = (x[i] as number) - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / n);
}
