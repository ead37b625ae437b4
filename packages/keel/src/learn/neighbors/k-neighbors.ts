import { z } from "zod";
import type { Classifier, ClassifierFitOptions, FitOptions, Regressor } from "../core/capabilities.js";
import { Estimator } from "../core/estimator.js";
import { assertFinite, checkMatrix, checkXy, type Matrix, toRowMajor } from "../core/matrix.js";
import { argmaxRows, type ProbaMatrix } from "../core/proba-matrix.js";
import { registerEstimators } from "../core/registry.js";
import type { EstimatorTags } from "../core/tags.js";
import { countClasses } from "../core/targets.js";
import { kNearest, neighborWeights } from "./neighbor-search.js";

/** Params of the k-nearest-neighbour learners. */
export interface KNeighborsParams {
  /** Number of neighbours. */
  readonly nNeighbors: number;
  /** uniform: plain vote/mean; distance: weights 1/distance. */
  readonly weights: "uniform" | "distance";
}

const DEFAULTS: KNeighborsParams = { nNeighbors: 5, weights: "uniform" };
const SCHEMA = z.strictObject({ nNeighbors: z.int().positive(), weights: z.enum(["uniform", "distance"]) });

/** Learned state: the training rows (row-major) and targets. */
export interface KNeighborsState {
  /** Training features, row-major `[nTrain, nFeatures]`. */
  readonly train: Float64Array;
  /** Training targets (class indices for the classifier). */
  readonly y: Float64Array;
  /** Number of training rows. */
  readonly nTrain: number;
  /** Feature names. */
  readonly features: string[];
  /** Number of classes (0 for the regressor). */
  readonly nClasses: number;
}

function remember(who: string, X: Matrix, y: ArrayLike<number>, nClasses: number): KNeighborsState {
  checkXy(X, y, who);
  assertFinite(X, who);
  return { train: toRowMajor(X), y: Float64Array.from(y), nTrain: X.nRows, features: [...X.names], nClasses };
}

/**
 * k-nearest-neighbour classifier, Euclidean distance, brute force.
 * @example
 * const knn = new KNeighborsClassifier({ nNeighbors: 1 });
 * knn.fit(matrixFromRows([[0], [10]]), Int32Array.from([0, 1]));
 * knn.predict(matrixFromRows([[8]])); // Int32Array [1]
 */
export class KNeighborsClassifier extends Estimator<KNeighborsParams, KNeighborsState> implements Classifier {
  static override readonly typeName = "KNeighborsClassifier";
  static override readonly tags: EstimatorTags = {
    kind: "classifier",
    allowNaN: false,
    stochastic: false,
    predictIsArgmax: true,
  };
  static override testParams(): object[] {
    return [{}, { nNeighbors: 3, weights: "distance" }];
  }

  constructor(params: Partial<KNeighborsParams> = {}) {
    super(DEFAULTS, params, SCHEMA);
  }

  /** Stores the training data. */
  fit(X: Matrix, y: Int32Array, options: ClassifierFitOptions = {}): this {
    this.validParams();
    this.fitted_ = remember(this.typeName, X, y, Math.max(2, countClasses(y, options.nClasses)));
    return this;
  }

  /** Number of classes. */
  get nClasses(): number {
    return this.assertFitted().nClasses;
  }

  /** Neighbour (weighted) class frequencies. */
  predictProba(X: Matrix): ProbaMatrix {
    const s = this.assertFitted();
    checkMatrix(X, s.features, this.typeName);
    const { nNeighbors, weights } = this.getParams();
    const nb = kNearest(s.train, s.nTrain, s.features.length, X, nNeighbors);
    const K = s.nClasses;
    const data = new Float64Array(X.nRows * K);
    const w = new Float64Array(nb.k);
    for (let r = 0; r < X.nRows; r++) {
      neighborWeights(nb.distances, r * nb.k, nb.k, weights, w);
      let total = 0;
      for (let j = 0; j < nb.k; j++) {
        data[r * K + s.y[nb.indices[r * nb.k + j]!]!]! += w[j]!;
        total += w[j]!;
      }
      for (let c = 0; c < K; c++) data[r * K + c]! /= total;
    }
    return { nRows: X.nRows, nClasses: K, data };
  }

  /** Majority (weighted) class; ties go to the lowest class index. */
  predict(X: Matrix): Int32Array {
    return argmaxRows(this.predictProba(X));
  }
}

/**
 * k-nearest-neighbour regressor, Euclidean distance, brute force.
 * @example
 * const knn = new KNeighborsRegressor({ nNeighbors: 2 });
 * knn.fit(matrixFromRows([[0], [1], [10]]), Float64Array.from([0, 2, 50]));
 * knn.predict(matrixFromRows([[0.4]])); // Float64Array [1]
 */
export class KNeighborsRegressor extends Estimator<KNeighborsParams, KNeighborsState> implements Regressor {
  static override readonly typeName = "KNeighborsRegressor";
  static override readonly tags: EstimatorTags = { kind: "regressor", allowNaN: false, stochastic: false };
  static override testParams(): object[] {
    return [{}, { nNeighbors: 3, weights: "distance" }];
  }

  constructor(params: Partial<KNeighborsParams> = {}) {
    super(DEFAULTS, params, SCHEMA);
  }

  /** Stores the training data. */
  fit(X: Matrix, y: Float64Array, _options?: FitOptions<Float64Array>): this {
    this.validParams();
    this.fitted_ = remember(this.typeName, X, y, 0);
    return this;
  }

  /** (Weighted) mean of the neighbours' targets. */
  predict(X: Matrix): Float64Array {
    const s = this.assertFitted();
    checkMatrix(X, s.features, this.typeName);
    const { nNeighbors, weights } = this.getParams();
    const nb = kNearest(s.train, s.nTrain, s.features.length, X, nNeighbors);
    const out = new Float64Array(X.nRows);
    const w = new Float64Array(nb.k);
    for (let r = 0; r < X.nRows; r++) {
      neighborWeights(nb.distances, r * nb.k, nb.k, weights, w);
      let sum = 0;
      let total = 0;
      for (let j = 0; j < nb.k; j++) {
        sum += w[j]! * s.y[nb.indices[r * nb.k + j]!]!;
        total += w[j]!;
      }
      out[r] = sum / total;
    }
    return out;
  }
}

registerEstimators(KNeighborsClassifier, KNeighborsRegressor);
