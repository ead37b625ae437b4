/**
 * The two-proportion z-test (pooled standard error) used to compare A/B arms: is the difference
 * between two success rates (accuracy, or a conversion rate) larger than chance would make it?
 */

/** Result of {@link twoProportionTest}. */
export interface TwoProportionResult {
  /** Success rate of arm A. */
  readonly rateA: number;
  /** Success rate of arm B. */
  readonly rateB: number;
  /** rateB - rateA. */
  readonly difference: number;
  /** z statistic (0 when undefined: no variance). */
  readonly z: number;
  /** Two-sided p-value. */
  readonly pValue: number;
  /** Significance level used. */
  readonly alpha: number;
  /** pValue < alpha. */
  readonly significant: boolean;
}

/** Error function, Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7). */
export function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-x * x));
}

/** Standard normal CDF. */
export function normalCdf(z: number): number {
  return 0.5 * (1 + erf(z / Math.SQRT2));
}

/**
 * Two-sided pooled z-test of `successesA / nA` against `successesB / nB`.
 *
 * @example
 * twoProportionTest(300, 500, 400, 500).significant; // true (60% vs 80%, p < 1e-10)
 */
export function twoProportionTest(
  successesA: number,
  nA: number,
  successesB: number,
  nB: number,
  alpha = 0.05,
): TwoProportionResult {
  const rateA = nA === 0 ? 0 : successesA / nA;
  const rateB = nB === 0 ? 0 : successesB / nB;
  const pooled = nA + nB === 0 ? 0 : (successesA + successesB) / (nA + nB);
  const se = Math.sqrt(pooled * (1 - pooled) * (nA === 0 || nB === 0 ? 0 : 1 / nA + 1 / nB));
  const z = se === 0 ? 0 : (rateB - rateA) / se;
  const pValue = se === 0 ? 1 : Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
  return { rateA, rateB, difference: rateB - rateA, z, pValue, alpha, significant: pValue < alpha };
}
