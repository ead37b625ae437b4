/**
 * Divergences between two discrete distributions given as aligned arrays of shares or counts:
 * Jensen-Shannon distance (`scipy.spatial.distance.jensenshannon`), Kullback-Leibler divergence
 * (`scipy.stats.entropy(p, q)`), PSI and Hellinger distance as Evidently computes them.
 */

/** SciPy's `rel_entr(x, y)`: x log(x/y), 0 at x = 0, +inf when y = 0 < x. */
export function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Number.POSITIVE_INFINITY;
}

function normalized(p: ArrayLike<number>): Float64Array {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += p[i] as number;
  const out = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = (1 * (p[i] as number)) / s;
  return out;
}

/** Jensen-Shannon distance with natural logarithms; inputs are normalised first. */
export function jensenShannon(p0: ArrayLike<number>, q0: ArrayLike<number>): number {
  const p = normalized(p0);
  const q = normalized(q0);
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const m = ((p[i] as number) + (q[i] as number)) / 2;
    left += relEntr(p[i] as number, m);
    right += relEntr(q[i] as number, m);
  }
  return Math.sqrt((left + right) / 2);
}

/** Kullback-Leibler divergence KL(p || q) (`scipy.stats.entropy(p, q)`); inputs are normalised first. */
export function klDivergence(p0: ArrayLike<number>, q0: ArrayLike<number>): number {
  const p = normalized(p0);
  const q = normalized(q0);
  let s = 0;
  for (let i = 0; i < p.length; i++) s += relEntr(p[i] as number, q[i] as number);
  return s;
}

/** Population stability index: sum of (r - c) ln(r / c) over shares with no zero. */
export function psi(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i] as number;
    const c = current[i] as number;
    s += (r - c) * Math.log(r / c);
  }
  return s;
}

/** Hellinger distance of two share vectors: sqrt(1 - clip(sum sqrt(p q) * width, 0, 1)). */
export function hellinger(p: ArrayLike<number>, q: ArrayLike<number>, width = 1): number {
  let bc = 0;
  for (let i = 0; i < p.length; i++) bc += Math.sqrt((p[i] as number) * (q[i] as number)) * width;
  return Math.sqrt(1 - Math.min(Math.max(bc, 0), 1));
}

/**
 * Evidently's `feel_zeroes`: zero shares become a tiny positive share (the smallest non-zero share
 * / 1e6 when that is <= 1e-4, else 1e-4) so logarithms stay finite. Returns a new array.
 */
export function fillZeroes(shares: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(shares as ArrayLike<number>);
  let min = Number.POSITIVE_INFINITY;
  for (const s of out) if (s !== 0 && s < min) min = s;
  if (!Number.isFinite(min)) return out;
  const fill = min <= 0.0001 ? min / 10 ** 6 : 0.0001;
  for (let i = 0; i < out.length; i++) if (out[i] === 0) out[i] = fill;
  return out;
}
