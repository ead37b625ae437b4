import type { Matrix } from "../core/matrix.js";
import type { Objective } from "./lbfgs.js";

/**
 * scikit-learn 1.2's lbfgs objective for multinomial logistic regression: the SUM of log losses
 * plus ||W||² / (2C) (intercepts unpenalized). Parameters are K blocks of `d + 1` values
 * (weights, then intercept). Works column by column so every pass streams memory; the binary
 * case lives in parallel-binary-objective.ts.
 */
export function multinomialObjective(
  X: Matrix,
  y: Int32Array,
  nOut: number,
  C: number,
  fitIntercept: boolean,
): Objective {
  const n = X.nRows;
  const d = X.nCols;
  const cols = X.columns;
  const z = new Float64Array(n * nOut);
  const invC = 1 / C;
  return (w, grad) => {
    grad.fill(0);
    for (let k = 0; k < nOut; k++) {
      const zk = z.subarray(k * n, (k + 1) * n);
      zk.fill(fitIntercept ? w[k * (d + 1) + d]! : 0);
      for (let j = 0; j < d; j++) {
        const wj = w[k * (d + 1) + j]!;
        if (wj === 0) continue;
        const col = cols[j]!;
        for (let i = 0; i < n; i++) zk[i]! += wj * col[i]!;
      }
    }
    // z becomes the residual p - onehot(y); the loss is accumulated on the way.
    let loss = softmaxResiduals(z, y, n, nOut);
    for (let k = 0; k < nOut; k++) {
      const rk = z.subarray(k * n, (k + 1) * n);
      for (let j = 0; j < d; j++) {
        const col = cols[j]!;
        let s = 0;
        for (let i = 0; i < n; i++) s += rk[i]! * col[i]!;
        const wj = w[k * (d + 1) + j]!;
        grad[k * (d + 1) + j] = s + wj * invC;
        loss += 0.5 * wj * wj * invC;
      }
      if (fitIntercept) {
        let s = 0;
        for (let i = 0; i < n; i++) s += rk[i]!;
        grad[k * (d + 1) + d] = s;
      }
    }
    return loss;
  };
}

function softmaxResiduals(z: Float64Array, y: Int32Array, n: number, K: number): number {
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, z[k * n + i]!);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(z[k * n + i]! - max);
    const lse = max + Math.log(sum);
    const yi = y[i]!;
    loss += lse - z[yi * n + i]!;
    for (let k = 0; k < K; k++) z[k * n + i] = Math.exp(z[k * n + i]! - lse) - (k === yi ? 1 : 0);
  }
  return loss;
}

/** Decision scores `X·Wᵀ + b`, row-major `[nRows, nOut]`. */
export function linearScores(X: Matrix, coef: Float64Array, intercept: Float64Array): Float64Array {
  const nOut = intercept.length;
  const n = X.nRows;
  const d = X.nCols;
  const out = new Float64Array(n * nOut);
  for (let k = 0; k < nOut; k++) {
    const b = intercept[k]!;
    for (let i = 0; i < n; i++) out[i * nOut + k] = b;
    for (let j = 0; j < d; j++) {
      const wj = coef[k * d + j]!;
      const col = X.columns[j]!;
      for (let i = 0; i < n; i++) out[i * nOut + k]! += wj * col[i]!;
    }
  }
  return out;
}
