import { z } from "zod";
import type { FitOptions, Regressor } from "../core/capabilities.js";
import { Estimator } from "../core/estimator.js";
import { checkMatrix, type Matrix } from "../core/matrix.js";
import { registerEstimators } from "../core/registry.js";
import type { EstimatorTags } from "../core/tags.js";
import { regressionTarget } from "../tree/fit-cart.js";
import type { TreeArrays } from "../tree/tree-arrays.js";
import { checkPredictMatrix, type TreeModelInfo } from "../tree/tree-model.js";
import { addTreesOutputs, float32Rows } from "../tree/tree-predict.js";
import { FOREST_SHAPE, type ForestParams, fitForest } from "./forest-params.js";

/** Params of {@link RandomForestRegressor} (scikit-learn's RandomForestRegressor). */
export interface RandomForestRegressorParams extends ForestParams {
  /** Split quality of each tree. */
  readonly criterion: "squared_error";
}

// scikit-learn 1.2's regressor default is maxFeatures 1.0 (all features).
const DEFAULTS: RandomForestRegressorParams = {
  nEstimators: 100,
  criterion: "squared_error",
  maxDepth: null,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxFeatures: null,
  bootstrap: true,
  nJobs: -1,
  seed: 0,
};
const SCHEMA = z.strictObject({ criterion: z.literal("squared_error"), ...FOREST_SHAPE });

/** Learned state: the trees (node values are target means). */
export interface RandomForestRegressorState extends TreeModelInfo {
  /** One tree per estimator. */
  readonly trees: TreeArrays[];
}

/**
 * A random forest of CART regression trees grown in parallel worker threads; the prediction is
 * the mean of the trees' leaf means. Results depend on `seed` only, not on `nJobs`.
 * @example
 * const rf = new RandomForestRegressor({ nEstimators: 10 });
 * rf.fit(matrixFromRows([[1], [2], [3], [4]]), Float64Array.from([1, 2, 3, 4]));
 * rf.predict(matrixFromRows([[2.5]])).length; // 1
 */
export class RandomForestRegressor
  extends Estimator<RandomForestRegressorParams, RandomForestRegressorState>
  implements Regressor
{
  static override readonly typeName = "RandomForestRegressor";
  static override readonly tags: EstimatorTags = { kind: "regressor", allowNaN: true, stochastic: true };
  static override testParams(): object[] {
    return [{ nEstimators: 5 }, { nEstimators: 4, maxDepth: 3, maxFeatures: 0.5, seed: 2 }];
  }

  constructor(params: Partial<RandomForestRegressorParams> = {}) {
    super(DEFAULTS, params, SCHEMA);
  }

  /** Grows the forest on features `X` and targets `y`. */
  fit(X: Matrix, y: Float64Array, _options: FitOptions<Float64Array> = {}): this {
    const p = this.validParams();
    const target = regressionTarget(X, y, this.typeName);
    const grown = fitForest(X, target, p, p.criterion);
    this.fitted_ = { ...grown, featureNames: [...X.names] };
    return this;
  }

  /** Mean of the trees' predictions. */
  predict(X: Matrix): Float64Array {
    const s = this.assertFitted();
    checkMatrix(X, undefined, this.typeName);
    checkPredictMatrix(X, s, this.typeName);
    const out = new Float64Array(X.nRows);
    const scale = 1 / s.trees.length;
    const rows = float32Rows(X.columns, X.nRows);
    addTreesOutputs(s.trees, rows, out, { stride: 1, offset: () => 0, scale });
    return out;
  }
}

registerEstimators(RandomForestRegressor);
