import type { FitOptions, Regressor } from "../core/capabilities.js";
import { Estimator } from "../core/estimator.js";
import { checkMatrix, type Matrix } from "../core/matrix.js";
import { registerEstimators } from "../core/registry.js";
import type { EstimatorTags } from "../core/tags.js";
import { regressionTarget } from "../tree/fit-cart.js";
import { checkPredictMatrix, type TreeModelInfo } from "../tree/tree-model.js";
import { type BoostedEnsemble, boost } from "./boost.js";
import { halfSquaredError } from "./boosting-loss.js";
import { BOOSTING_DEFAULTS, BOOSTING_SCHEMA, type BoostingParams } from "./boosting-params.js";
import { rawScores } from "./raw-scores.js";

/** Params of {@link HistGradientBoostingRegressor}. */
export type HistGradientBoostingRegressorParams = BoostingParams;

/** Learned state: the ensemble (link "identity"). */
export interface HistGradientBoostingRegressorState extends BoostedEnsemble, TreeModelInfo {
  /** Raw scores are the predictions. */
  readonly link: "identity";
}

/**
 * Histogram gradient boosting for regression with squared error (scikit-learn's
 * HistGradientBoostingRegressor), float32 thresholds for exact ONNX export, row and column
 * subsampling, and early stopping on a validation split.
 * @example
 * const gbdt = new HistGradientBoostingRegressor({ maxIter: 50, minSamplesLeaf: 1 });
 * gbdt.fit(matrixFromRows([[1], [2], [3], [4]]), Float64Array.from([1, 2, 3, 4]));
 * gbdt.predict(matrixFromRows([[4]])).length; // 1
 */
export class HistGradientBoostingRegressor
  extends Estimator<HistGradientBoostingRegressorParams, HistGradientBoostingRegressorState>
  implements Regressor
{
  static override readonly typeName = "HistGradientBoostingRegressor";
  static override readonly tags: EstimatorTags = { kind: "regressor", allowNaN: true, stochastic: true };
  static override testParams(): object[] {
    return [
      { maxIter: 10, minSamplesLeaf: 5 },
      { maxIter: 8, maxDepth: 3, maxLeafNodes: null, subsample: 0.7, colsampleBytree: 0.5, seed: 3 },
    ];
  }

  constructor(params: Partial<HistGradientBoostingRegressorParams> = {}) {
    super(BOOSTING_DEFAULTS, params, BOOSTING_SCHEMA);
  }

  /** Boosts on features `X` and targets `y`; `options.evalSet` replaces the internal validation split. */
  fit(X: Matrix, y: Float64Array, options: FitOptions<Float64Array> = {}): this {
    const p = this.validParams();
    regressionTarget(X, y, this.typeName);
    const ensemble = boost(
      { X, y, stratify: false, evalSet: options.evalSet, onIteration: options.onIteration },
      halfSquaredError(),
      p,
    );
    this.fitted_ = { ...ensemble, link: "identity", featureNames: [...X.names] };
    return this;
  }

  /** Iterations actually run (fewer than maxIter after early stopping). */
  get nIter(): number {
    return this.assertFitted().nIter;
  }

  /** Predicted value per row. */
  predict(X: Matrix): Float64Array {
    const s = this.assertFitted();
    checkMatrix(X, undefined, this.typeName);
    checkPredictMatrix(X, s, this.typeName);
    return rawScores(s, X);
  }
}

registerEstimators(HistGradientBoostingRegressor);
