/**
 * Losses of histogram gradient boosting, on raw scores `raw` (row-major, `k` per row): the
 * baseline score, gradients/hessians and the mean loss (scikit-learn's definitions: log loss for
 * classifiers, half squared error for regression).
 */
export interface BoostingLoss {
  /** Scores per row (1 for binary and regression, nClasses for multiclass). */
  readonly k: number;
  /** What rebuilds this loss in a worker thread (see {@link lossFromSpec}). */
  readonly spec: LossSpec;
  /** Initial raw score per output (log-odds / log priors / mean). */
  baseline(y: ArrayLike<number>, rows: Int32Array): Float64Array;
  /** Fills interleaved gradient/hessian pairs `gh[2r], gh[2r + 1]` of output `c` for `rows`. */
  gradients(raw: Float64Array, y: ArrayLike<number>, rows: Int32Array, c: number, gh: Float64Array): void;
  /** Called once per iteration before the per-output {@link gradients} calls. */
  prepare(raw: Float64Array, rows: Int32Array): void;
  /** Mean loss over `rows`. */
  loss(raw: Float64Array, y: ArrayLike<number>, rows: Int32Array): number;
}

/** A serializable description of a {@link BoostingLoss}. */
export interface LossSpec {
  /** Which loss. */
  readonly name: "binary" | "multiclass" | "squared";
  /** Classes (multiclass only; 0 otherwise). */
  readonly nClasses: number;
}

/** The loss `spec` describes, for `nRows` training rows (worker threads rebuild theirs with it). */
export function lossFromSpec(spec: LossSpec, nRows: number): BoostingLoss {
  if (spec.name === "binary") return binaryLogLoss();
  if (spec.name === "multiclass") return multiclassLogLoss(spec.nClasses, nRows);
  return halfSquaredError();
}

const EPS = 2.220446049250313e-16;

/** Binary log loss with a logistic link; one raw score per row. */
export function binaryLogLoss(): BoostingLoss {
  return {
    k: 1,
    spec: { name: "binary", nClasses: 0 },
    baseline(y, rows) {
      let pos = 0;
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k]!;
        pos += y[r]!;
      }
      const p = Math.min(Math.max(pos / rows.length, EPS), 1 - EPS);
      return Float64Array.of(Math.log(p / (1 - p)));
    },
    prepare() {},
    gradients(raw, y, rows, _c, gh) {
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k]!;
        const p = 1 / (1 + Math.exp(-raw[r]!));
        gh[2 * r] = p - y[r]!;
        gh[2 * r + 1] = Math.max(p * (1 - p), 1e-16);
      }
    },
    loss(raw, y, rows) {
      let sum = 0;
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k]!;
        const z = raw[r]!;
        // log(1 + e^z) - y z, stable for large |z|.
        sum += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[r]! * z;
      }
      return sum / rows.length;
    },
  };
}

/** Multiclass log loss with a softmax link; `nClasses` raw scores per row. */
export function multiclassLogLoss(nClasses: number, nRows: number): BoostingLoss {
  const prob = new Float64Array(nRows * nClasses);
  return {
    k: nClasses,
    spec: { name: "multiclass", nClasses },
    baseline(y, rows) {
      const counts = new Float64Array(nClasses);
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k]!;
        counts[y[r]!]! += 1;
      }
      return counts.map((c) => Math.log(Math.max(c / rows.length, EPS)));
    },
    prepare(raw, rows) {
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k]!;
        softmaxInto(raw, prob, r * nClasses, nClasses);
      }
    },
    gradients(_raw, y, rows, c, gh) {
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k]!;
        const p = prob[r * nClasses + c]!;
        gh[2 * r] = p - (y[r] === c ? 1 : 0);
        gh[2 * r + 1] = Math.max(p * (1 - p), 1e-16);
      }
    },
    loss(raw, y, rows) {
      let sum = 0;
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k]!;
        const o = r * nClasses;
        let max = Number.NEGATIVE_INFINITY;
        for (let c = 0; c < nClasses; c++) max = Math.max(max, raw[o + c]!);
        let z = 0;
        for (let c = 0; c < nClasses; c++) z += Math.exp(raw[o + c]! - max);
        sum += max + Math.log(z) - raw[o + y[r]!]!;
      }
      return sum / rows.length;
    },
  };
}

/** Half squared error; one raw score per row, constant hessian 1. */
export function halfSquaredError(): BoostingLoss {
  return {
    k: 1,
    spec: { name: "squared", nClasses: 0 },
    baseline(y, rows) {
      let sum = 0;
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k]!;
        sum += y[r]!;
      }
      return Float64Array.of(sum / rows.length);
    },
    prepare() {},
    gradients(raw, y, rows, _c, gh) {
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k]!;
        gh[2 * r] = raw[r]! - y[r]!;
        gh[2 * r + 1] = 1;
      }
    },
    loss(raw, y, rows) {
      let sum = 0;
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k]!;
        const d = raw[r]! - y[r]!;
        sum += d * d;
      }
      return sum / (2 * rows.length);
    },
  };
}

function softmaxInto(raw: Float64Array, out: Float64Array, o: number, k: number): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < k; c++) max = Math.max(max, raw[o + c]!);
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp(raw[o + c]! - max);
    out[o + c] = e;
    sum += e;
  }
  for (let c = 0; c < k; c++) out[o + c]! /= sum;
}
