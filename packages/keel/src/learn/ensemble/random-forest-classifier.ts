import { z } from "zod";
import type { Classifier, ClassifierFitOptions } from "../core/capabilities.js";
import { Estimator } from "../core/estimator.js";
import { checkMatrix, type Matrix } from "../core/matrix.js";
import { argmaxRows, type ProbaMatrix } from "../core/proba-matrix.js";
import { registerEstimators } from "../core/registry.js";
import type { EstimatorTags } from "../core/tags.js";
import { classificationTarget } from "../tree/fit-cart.js";
import type { TreeArrays } from "../tree/tree-arrays.js";
import { checkPredictMatrix, type TreeModelInfo } from "../tree/tree-model.js";
import { addTreesOutputs, float32Rows } from "../tree/tree-predict.js";
import { FOREST_SHAPE, type ForestParams, fitForest } from "./forest-params.js";

/** Params of {@link RandomForestClassifier} (scikit-learn's RandomForestClassifier). */
export interface RandomForestClassifierParams extends ForestParams {
  /** Split quality of each tree. */
  readonly criterion: "gini" | "entropy";
}

const DEFAULTS: RandomForestClassifierParams = {
  nEstimators: 100,
  criterion: "gini",
  maxDepth: null,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxFeatures: "sqrt",
  bootstrap: true,
  nJobs: -1,
  seed: 0,
};
const SCHEMA = z.strictObject({ criterion: z.enum(["gini", "entropy"]), ...FOREST_SHAPE });

/** Learned state: the trees (node values are class probabilities). */
export interface RandomForestClassifierState extends TreeModelInfo {
  /** One tree per estimator, `nOutputs` = number of classes. */
  readonly trees: TreeArrays[];
  /** Number of classes. */
  readonly nClasses: number;
}

/**
 * A random forest of CART classification trees grown in parallel worker threads on a shared
 * copy of the ranked features; probabilities are the mean of the trees' leaf distributions.
 * Results depend on `seed` only, not on `nJobs`.
 * @example
 * const rf = new RandomForestClassifier({ nEstimators: 20, seed: 1 });
 * rf.fit(matrixFromRows([[0, 0], [0, 1], [1, 0], [1, 1]]), Int32Array.from([0, 1, 1, 0]));
 * rf.predictProba(matrixFromRows([[0, 1]])).data.length; // 2
 */
export class RandomForestClassifier
  extends Estimator<RandomForestClassifierParams, RandomForestClassifierState>
  implements Classifier
{
  static override readonly typeName = "RandomForestClassifier";
  static override readonly tags: EstimatorTags = {
    kind: "classifier",
    allowNaN: true,
    stochastic: true,
    predictIsArgmax: true,
  };
  static override testParams(): object[] {
    return [
      { nEstimators: 5 },
      { nEstimators: 4, maxDepth: 3, criterion: "entropy", bootstrap: false, seed: 2 },
    ];
  }

  constructor(params: Partial<RandomForestClassifierParams> = {}) {
    super(DEFAULTS, params, SCHEMA);
  }

  /** Grows the forest on features `X` and class indices `y`. */
  fit(X: Matrix, y: Int32Array, options: ClassifierFitOptions = {}): this {
    const p = this.validParams();
    const target = classificationTarget(X, y, options.nClasses, this.typeName);
    const grown = fitForest(X, target, p, p.criterion);
    this.fitted_ = { ...grown, nClasses: target.nClasses, featureNames: [...X.names] };
    return this;
  }

  /** Number of classes seen at fit time. */
  get nClasses(): number {
    return this.assertFitted().nClasses;
  }

  /** The most probable class per row. */
  predict(X: Matrix): Int32Array {
    return argmaxRows(this.predictProba(X));
  }

  /** Mean of the trees' leaf class distributions. */
  predictProba(X: Matrix): ProbaMatrix {
    const s = this.assertFitted();
    checkMatrix(X, undefined, this.typeName);
    checkPredictMatrix(X, s, this.typeName);
    const data = new Float64Array(X.nRows * s.nClasses);
    const scale = 1 / s.trees.length;
    const rows = float32Rows(X.columns, X.nRows);
    addTreesOutputs(s.trees, rows, data, { stride: s.nClasses, offset: () => 0, scale });
    return { nRows: X.nRows, nClasses: s.nClasses, data };
  }
}

registerEstimators(RandomForestClassifier);
