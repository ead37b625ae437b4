import { z } from "zod";
import type { Classifier, ClassifierFitOptions } from "../core/capabilities.js";
import { Estimator } from "../core/estimator.js";
import { assertFinite, checkMatrix, checkXy, type Matrix } from "../core/matrix.js";
import { argmaxRows, type ProbaMatrix } from "../core/proba-matrix.js";
import { registerEstimators } from "../core/registry.js";
import type { EstimatorTags } from "../core/tags.js";
import { countClasses } from "../core/targets.js";

/** Params of {@link GaussianNB}. */
export interface GaussianNBParams {
  /** Fraction of the largest feature variance added to every variance, for stability. */
  readonly varSmoothing: number;
}

const DEFAULTS: GaussianNBParams = { varSmoothing: 1e-9 };
const SCHEMA = z.strictObject({ varSmoothing: z.number().nonnegative() });

/** Learned state of {@link GaussianNB}. */
export interface GaussianNBState {
  /** Class priors (training frequencies). */
  readonly priors: Float64Array;
  /** Row-major `[nClasses, nFeatures]` means. */
  readonly theta: Float64Array;
  /** Row-major `[nClasses, nFeatures]` variances, smoothed. */
  readonly variance: Float64Array;
  /** Feature names. */
  readonly features: string[];
}

/**
 * Gaussian naive Bayes (scikit-learn's GaussianNB): per-class feature means and variances, with
 * `varSmoothing × max variance` added to every variance.
 * @example
 * const nb = new GaussianNB().fit(matrixFromRows([[0], [1], [10], [11]]), Int32Array.from([0, 0, 1, 1]));
 * nb.predict(matrixFromRows([[2], [9]])); // Int32Array [0, 1]
 */
export class GaussianNB extends Estimator<GaussianNBParams, GaussianNBState> implements Classifier {
  static override readonly typeName = "GaussianNB";
  static override readonly tags: EstimatorTags = {
    kind: "classifier",
    allowNaN: false,
    stochastic: false,
    predictIsArgmax: true,
  };
  static override testParams(): object[] {
    return [{}, { varSmoothing: 1e-3 }];
  }

  constructor(params: Partial<GaussianNBParams> = {}) {
    super(DEFAULTS, params, SCHEMA);
  }

  /** Learns per-class means and variances. */
  fit(X: Matrix, y: Int32Array, options: ClassifierFitOptions = {}): this {
    const { varSmoothing } = this.validParams();
    checkXy(X, y, this.typeName);
    assertFinite(X, this.typeName);
    const K = countClasses(y, options.nClasses);
    const d = X.nCols;
    const n = X.nRows;
    const counts = new Float64Array(K);
    for (let i = 0; i < n; i++) counts[y[i]!]!++;
    const theta = new Float64Array(K * d);
    const variance = new Float64Array(K * d);
    let maxVar = 0;
    X.columns.forEach((col, j) => {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += col[i]!;
      mean /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (col[i]! - mean) ** 2;
      maxVar = Math.max(maxVar, v / n);
      for (let i = 0; i < n; i++) theta[y[i]! * d + j]! += col[i]!;
      for (let k = 0; k < K; k++) if (counts[k]! > 0) theta[k * d + j]! /= counts[k]!;
      for (let i = 0; i < n; i++) variance[y[i]! * d + j]! += (col[i]! - theta[y[i]! * d + j]!) ** 2;
    });
    const epsilon = varSmoothing * maxVar;
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < d; j++) {
        variance[k * d + j] = (counts[k]! > 0 ? variance[k * d + j]! / counts[k]! : 0) + epsilon;
      }
    }
    const priors = counts.map((c) => c / n);
    this.fitted_ = { priors, theta, variance, features: [...X.names] };
    return this;
  }

  /** Number of classes. */
  get nClasses(): number {
    return this.assertFitted().priors.length;
  }

  /** Joint log-likelihood `log P(c) + log P(x | c)`, row-major `[nRows, nClasses]`. */
  jointLogLikelihood(X: Matrix): Float64Array {
    const s = this.assertFitted();
    checkMatrix(X, s.features, this.typeName);
    const K = s.priors.length;
    const d = s.features.length;
    const n = X.nRows;
    const out = new Float64Array(n * K);
    for (let k = 0; k < K; k++) {
      let base = Math.log(s.priors[k]!);
      for (let j = 0; j < d; j++) base -= 0.5 * Math.log(2 * Math.PI * s.variance[k * d + j]!);
      for (let i = 0; i < n; i++) out[i * K + k] = base;
      for (let j = 0; j < d; j++) {
        const col = X.columns[j]!;
        const mu = s.theta[k * d + j]!;
        const inv = 0.5 / s.variance[k * d + j]!;
        for (let i = 0; i < n; i++) out[i * K + k]! -= (col[i]! - mu) ** 2 * inv;
      }
    }
    return out;
  }

  /** Posterior class probabilities. */
  predictProba(X: Matrix): ProbaMatrix {
    const jll = this.jointLogLikelihood(X);
    const K = this.nClasses;
    for (let base = 0; base < jll.length; base += K) {
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, jll[base + k]!);
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(jll[base + k]! - max);
      const lse = max + Math.log(sum);
      for (let k = 0; k < K; k++) jll[base + k] = Math.exp(jll[base + k]! - lse);
    }
    return { nRows: X.nRows, nClasses: K, data: jll };
  }

  /** Most probable class. */
  predict(X: Matrix): Int32Array {
    return argmaxRows(this.predictProba(X));
  }
}

registerEstimators(GaussianNB);
