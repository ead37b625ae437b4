/**
 * Tests on category counts, as Evidently runs them: Pearson's chi-square goodness of fit of the
 * current counts against the reference counts rescaled to the current size (`scipy.stats.chisquare`,
 * NOT `chi2_contingency`), and the two-proportion z-test for two categories.
 */
import { chiSquareSf, normalCdf } from "./special-functions.js";

/** Statistic and p-value of a test. */
export interface TestResult {
  /** Test statistic (may be +Infinity for a category unseen in the reference). */
  readonly statistic: number;
  /** p-value in [0, 1]. */
  readonly pValue: number;
}

/**
 * `scipy.stats.chisquare(observed, expected)`: sum (o - e)^2 / e with k - 1 degrees of freedom.
 * An expected count of 0 with a positive observed count gives statistic +Infinity and p-value 0.
 * With a single category SciPy answers NaN; this answers p = 1 (nothing to compare).
 */
export function chiSquare(observed: ArrayLike<number>, expected: ArrayLike<number>): TestResult {
  let stat = 0;
  for (let i = 0; i < observed.length; i++) {
    const o = observed[i] as number;
    const e = expected[i] as number;
    const d = o - e;
    stat += d === 0 ? 0 : (d * d) / e;
  }
  const df = observed.length - 1;
  if (df < 1) return { statistic: stat, pValue: 1 };
  return { statistic: stat, pValue: chiSquareSf(stat, df) };
}

/**
 * Evidently's two-proportion z-test: each sample coded 0 for the first category (sorted) and 1 for
 * any other; two-sided p-value `2 (1 - Φ(|z|))`. Both samples holding the same single value: p = 1.
 * @param refOther - reference values not equal to the first category; `refN` all reference values.
 */
export function proportionsZTest(refOther: number, refN: number, curOther: number, curN: number): TestResult {
  const p1 = refOther / refN;
  const p2 = curOther / curN;
  const P = (p1 * refN + p2 * curN) / (refN + curN);
  const z = (p1 - p2) / Math.sqrt(P * (1 - P) * (1 / refN + 1 / curN));
  if (!Number.isFinite(z)) return { statistic: 0, pValue: 1 };
  return { statistic: z, pValue: 2 * (1 - normalCdf(Math.abs(z))) };
}
