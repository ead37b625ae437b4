import type { Classifier, ClassifierFitOptions } from "../core/capabilities.js";
import { Estimator } from "../core/estimator.js";
import { checkMatrix, type Matrix } from "../core/matrix.js";
import { argmaxRows, type ProbaMatrix, softmaxRowsInPlace } from "../core/proba-matrix.js";
import { registerEstimators } from "../core/registry.js";
import type { EstimatorTags } from "../core/tags.js";
import { classificationTarget } from "../tree/fit-cart.js";
import { checkPredictMatrix, type TreeModelInfo } from "../tree/tree-model.js";
import { type BoostedEnsemble, boost } from "./boost.js";
import { binaryLogLoss, multiclassLogLoss } from "./boosting-loss.js";
import { BOOSTING_DEFAULTS, BOOSTING_SCHEMA, type BoostingParams } from "./boosting-params.js";
import { rawScores } from "./raw-scores.js";

/** Params of {@link HistGradientBoostingClassifier}. */
export type HistGradientBoostingClassifierParams = BoostingParams;

/** Learned state: the ensemble (link "logistic" for two classes, else "softmax"). */
export interface HistGradientBoostingClassifierState extends BoostedEnsemble, TreeModelInfo {
  /** Number of classes. */
  readonly nClasses: number;
  /** How raw scores become probabilities. */
  readonly link: "logistic" | "softmax";
}

/**
 * Histogram gradient boosting for classification (scikit-learn's HistGradientBoostingClassifier:
 * binary log loss with one tree per iteration, multiclass softmax with one tree per class per
 * iteration), with float32 thresholds for exact ONNX export and xgboost-style row and column
 * subsampling. Pass `onIteration` to `fit` to receive the training curve.
 * @example
 * const gbdt = new HistGradientBoostingClassifier({ maxIter: 20, minSamplesLeaf: 1 });
 * gbdt.fit(matrixFromRows([[0], [1], [2], [3]]), Int32Array.from([0, 0, 1, 1]));
 * gbdt.predict(matrixFromRows([[3]])); // Int32Array [1]
 */
export class HistGradientBoostingClassifier
  extends Estimator<HistGradientBoostingClassifierParams, HistGradientBoostingClassifierState>
  implements Classifier
{
  static override readonly typeName = "HistGradientBoostingClassifier";
  static override readonly tags: EstimatorTags = {
    kind: "classifier",
    allowNaN: true,
    stochastic: true,
    predictIsArgmax: true,
  };
  static override testParams(): object[] {
    return [
      { maxIter: 10, minSamplesLeaf: 5 },
      { maxIter: 8, maxDepth: 3, maxLeafNodes: null, subsample: 0.7, colsampleBytree: 0.5, seed: 3 },
    ];
  }

  constructor(params: Partial<HistGradientBoostingClassifierParams> = {}) {
    super(BOOSTING_DEFAULTS, params, BOOSTING_SCHEMA);
  }

  /** Boosts on features `X` and class indices `y`; `options.evalSet` replaces the internal validation split. */
  fit(X: Matrix, y: Int32Array, options: ClassifierFitOptions = {}): this {
    const p = this.validParams();
    const target = classificationTarget(X, y, options.nClasses, this.typeName);
    const k = target.nClasses;
    const loss = k === 2 ? binaryLogLoss() : multiclassLogLoss(k, X.nRows);
    const ensemble = boost(
      { X, y, stratify: true, evalSet: options.evalSet, onIteration: options.onIteration },
      loss,
      p,
    );
    this.fitted_ = {
      ...ensemble,
      nClasses: k,
      link: k === 2 ? "logistic" : "softmax",
      featureNames: [...X.names],
    };
    return this;
  }

  /** Number of classes seen at fit time. */
  get nClasses(): number {
    return this.assertFitted().nClasses;
  }

  /** Iterations actually run (fewer than maxIter after early stopping). */
  get nIter(): number {
    return this.assertFitted().nIter;
  }

  /** The most probable class per row. */
  predict(X: Matrix): Int32Array {
    return argmaxRows(this.predictProba(X));
  }

  /** Class probabilities: logistic of the raw score (two classes) or softmax of the raw scores. */
  predictProba(X: Matrix): ProbaMatrix {
    const s = this.assertFitted();
    checkMatrix(X, undefined, this.typeName);
    checkPredictMatrix(X, s, this.typeName);
    const raw = rawScores(s, X);
    if (s.link === "softmax") {
      softmaxRowsInPlace(raw, s.nClasses);
      return { nRows: X.nRows, nClasses: s.nClasses, data: raw };
    }
    const data = new Float64Array(X.nRows * 2);
    for (let i = 0; i < X.nRows; i++) {
      const p1 = 1 / (1 + Math.exp(-raw[i]!));
      data[2 * i] = 1 - p1;
      data[2 * i + 1] = p1;
    }
    return { nRows: X.nRows, nClasses: 2, data };
  }

  /** Raw scores (log-odds for two classes, per-class scores otherwise), row-major. */
  decisionFunction(X: Matrix): Float64Array {
    const s = this.assertFitted();
    checkPredictMatrix(X, s, this.typeName);
    return rawScores(s, X);
  }
}

registerEstimators(HistGradientBoostingClassifier);
