/**
 * Class probabilities, row-major: `data[i * nClasses + k]` is P(class k | row i).
 * Row-major matches ONNX Runtime's `[N, K]` float tensor, so parity checks compare directly.
 */
export interface ProbaMatrix {
  /** Number of rows. */
  readonly nRows: number;
  /** Number of classes (columns). */
  readonly nClasses: number;
  /** nRows * nClasses probabilities. */
  readonly data: Float64Array;
}

/** An all-zero probability matrix. */
export function emptyProba(nRows: number, nClasses: number): ProbaMatrix {
  return { nRows, nClasses, data: new Float64Array(nRows * nClasses) };
}

/** The probability row `i` as a subarray view (no copy). */
export function probaRow(p: ProbaMatrix, i: number): Float64Array {
  return p.data.subarray(i * p.nClasses, (i + 1) * p.nClasses);
}

/** Index of the largest probability per row; ties go to the lowest class index (numpy argmax). */
export function argmaxRows(p: ProbaMatrix): Int32Array {
  const out = new Int32Array(p.nRows);
  const k = p.nClasses;
  for (let i = 0; i < p.nRows; i++) {
    let best = 0;
    let bestValue = p.data[i * k]!;
    for (let c = 1; c < k; c++) {
      const v = p.data[i * k + c]!;
      if (v > bestValue) {
        bestValue = v;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}

/** Softmax of each row of `scores` (row-major, k per row) in place, numerically stable. */
export function softmaxRowsInPlace(scores: Float64Array, k: number): void {
  for (let base = 0; base < scores.length; base += k) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (scores[base + c]! > max) max = scores[base + c]!;
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(scores[base + c]! - max);
      scores[base + c] = e;
      sum += e;
    }
    for (let c = 0; c < k; c++) scores[base + c]! /= sum;
  }
}
