import { invalidParam } from "../../errors.js";
import type { Matrix } from "../core/matrix.js";

/** Centered normal equations `G = Xcᵀ Xc`, `b = Xcᵀ yc` with the means removed (or not). */
export interface NormalEquations {
  /** d × d row-major Gram matrix. */
  readonly gram: Float64Array;
  /** Xᵀ y (centered). */
  readonly xty: Float64Array;
  /** Column means (zeros without intercept). */
  readonly xMean: Float64Array;
  /** Target mean (0 without intercept). */
  readonly yMean: number;
}

/** Builds the (centered) normal equations in one pass per column pair. */
export function normalEquations(X: Matrix, y: Float64Array, center: boolean): NormalEquations {
  const d = X.nCols;
  const n = X.nRows;
  const xMean = new Float64Array(d);
  let yMean = 0;
  if (center) {
    X.columns.forEach((c, j) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += c[i]!;
      xMean[j] = s / n;
    });
    for (let i = 0; i < n; i++) yMean += y[i]!;
    yMean /= n;
  }
  // Centered copies keep the Gram accurate when features have large means.
  const cols = X.columns.map((c, j) => (center ? c.map((v) => v - xMean[j]!) : c));
  const yc = center ? y.map((v) => v - yMean) : y;
  const gram = new Float64Array(d * d);
  const xty = new Float64Array(d);
  for (let a = 0; a < d; a++) {
    const ca = cols[a]!;
    for (let b = a; b < d; b++) {
      const cb = cols[b]!;
      let s = 0;
      for (let i = 0; i < n; i++) s += ca[i]! * cb[i]!;
      gram[a * d + b] = s;
      gram[b * d + a] = s;
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += ca[i]! * yc[i]!;
    xty[a] = s;
  }
  return { gram, xty, xMean, yMean };
}

/** Solves A x = b for symmetric positive definite A (Cholesky); null when A is not positive definite. */
export function choleskySolve(A: Float64Array, b: Float64Array): Float64Array | null {
  const d = b.length;
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * d + j]!;
      for (let k = 0; k < j; k++) s -= L[i * d + k]! * L[j * d + k]!;
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * d + i] = Math.sqrt(s);
      } else L[i * d + j] = s / L[j * d + j]!;
    }
  }
  const x = b.slice();
  for (let i = 0; i < d; i++) {
    let s = x[i]!;
    for (let k = 0; k < i; k++) s -= L[i * d + k]! * x[k]!;
    x[i] = s / L[i * d + i]!;
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < d; k++) s -= L[k * d + i]! * x[k]!;
    x[i] = s / L[i * d + i]!;
  }
  return x;
}

/**
 * Minimum-norm solution of A x = b for symmetric positive semi-definite A through its
 * eigendecomposition (cyclic Jacobi), dropping eigenvalues below `rcond × λmax`: what
 * `lstsq` returns for collinear features (e.g. every level of a one-hot column plus an intercept).
 */
export function pinvSolve(A: Float64Array, b: Float64Array, rcond = 1e-12): Float64Array {
  const d = b.length;
  const M = A.slice();
  const V = new Float64Array(d * d);
  for (let i = 0; i < d; i++) V[i * d + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let norm = 0;
    for (let p = 0; p < d; p++) {
      for (let q = 0; q < d; q++) {
        const v = M[p * d + q]! ** 2;
        norm += v;
        if (p !== q) off += v;
      }
    }
    if (off <= 1e-30 * norm || off === 0) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = M[p * d + q]!;
        if (apq === 0) continue;
        const theta = (M[q * d + q]! - M[p * d + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const mkp = M[k * d + p]!;
          const mkq = M[k * d + q]!;
          M[k * d + p] = c * mkp - s * mkq;
          M[k * d + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < d; k++) {
          const mpk = M[p * d + k]!;
          const mqk = M[q * d + k]!;
          M[p * d + k] = c * mpk - s * mqk;
          M[q * d + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = V[k * d + p]!;
          const vkq = V[k * d + q]!;
          V[k * d + p] = c * vkp - s * vkq;
          V[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  let lmax = 0;
  for (let i = 0; i < d; i++) lmax = Math.max(lmax, M[i * d + i]!);
  const x = new Float64Array(d);
  for (let e = 0; e < d; e++) {
    const lambda = M[e * d + e]!;
    if (!(lambda > rcond * lmax)) continue;
    let proj = 0;
    for (let k = 0; k < d; k++) proj += V[k * d + e]! * b[k]!;
    const f = proj / lambda;
    for (let k = 0; k < d; k++) x[k]! += f * V[k * d + e]!;
  }
  return x;
}

/** Rejects a non-finite regression target, naming the row. */
export function assertFiniteTarget(y: Float64Array, who: string): void {
  const bad = y.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0)
    throw invalidParam(`${who}: target is missing or not finite at row ${bad}; drop or fill those rows`);
}
