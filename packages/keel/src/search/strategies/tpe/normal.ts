/**
 * Standard normal helpers for truncated Gaussian kernels, computed in log space so kernels far
 * in the tails neither underflow nor lose precision.
 */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** log of the standard normal density at `z`. */
export function logPhiDensity(z: number): number {
  return -0.5 * z * z - LOG_SQRT_2PI;
}

/** log erfc(x); relative error < 1.2e-7 everywhere (Numerical Recipes' Chebyshev fit, `erfcc`). */
function logErfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const logTail = Math.log(t) + poly;
  return x >= 0 ? logTail : Math.log(2 - Math.exp(logTail));
}

/** log Φ(z), the standard normal CDF, accurate in the lower tail. */
export function logNormalCdf(z: number): number {
  return Math.log(0.5) + logErfc(-z / Math.SQRT2);
}

/** Φ(z). */
export function normalCdf(z: number): number {
  return Math.exp(logNormalCdf(z));
}

/** log(Φ(b) - Φ(a)) for a < b, using whichever tail keeps precision. */
export function logNormalMass(a: number, b: number): number {
  if (a >= 0) return logDiff(logNormalCdf(-a), logNormalCdf(-b));
  if (b <= 0) return logDiff(logNormalCdf(b), logNormalCdf(a));
  return Math.log1p(-(normalCdf(a) + normalCdf(-b)));
}

// log(e^x - e^y) for x >= y.
function logDiff(x: number, y: number): number {
  return x + Math.log1p(-Math.exp(y - x));
}

/** Φ⁻¹(p) for p in (0, 1) (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
    const x =
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
    return p < low ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/**
 * A draw of N(mu, sigma) truncated to [lo, hi] by inverting the CDF at a uniform `u` in [0, 1);
 * for a window in the upper tail it mirrors to the lower one, where Φ keeps its precision.
 */
export function truncatedNormalDraw(mu: number, sigma: number, lo: number, hi: number, u: number): number {
  const a = (lo - mu) / sigma;
  const b = (hi - mu) / sigma;
  const z = a > 0 ? -lowerTailDraw(-b, -a, 1 - u) : lowerTailDraw(a, b, u);
  return Math.min(hi, Math.max(lo, mu + sigma * z));
}

function lowerTailDraw(a: number, b: number, u: number): number {
  const pa = normalCdf(a);
  const pb = normalCdf(b);
  return normalQuantile(pa + u * (pb - pa));
}

/** log Σ exp(xs), stable. */
export function logSumExp(xs: readonly number[]): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const x of xs) if (x > max) max = x;
  if (max === Number.NEGATIVE_INFINITY) return max;
  let sum = 0;
  for (const x of xs) sum += Math.exp(x - max);
  return max + Math.log(sum);
}
