import { z } from "zod";
import type { Classifier, ClassifierFitOptions } from "../core/capabilities.js";
import { Estimator } from "../core/estimator.js";
import { checkMatrix, type Matrix } from "../core/matrix.js";
import { argmaxRows, type ProbaMatrix } from "../core/proba-matrix.js";
import { Rng } from "../core/random.js";
import { registerEstimators } from "../core/registry.js";
import type { EstimatorTags } from "../core/tags.js";
import { CartBuilder } from "./cart-builder.js";
import { cartOptions, classificationTarget } from "./fit-cart.js";
import { rankFeatures } from "./ranked-features.js";
import type { TreeArrays } from "./tree-arrays.js";
import { checkPredictMatrix, normalizeImportances, type TreeModelInfo } from "./tree-model.js";
import { TREE_GROWTH_SHAPE, type TreeGrowthParams } from "./tree-params.js";
import { addTreeOutputs, float32Rows } from "./tree-predict.js";

/** Params of {@link DecisionTreeClassifier} (scikit-learn's DecisionTreeClassifier). */
export interface DecisionTreeClassifierParams extends TreeGrowthParams {
  /** Split quality: Gini impurity or entropy (information gain). */
  readonly criterion: "gini" | "entropy";
}

const DEFAULTS: DecisionTreeClassifierParams = {
  criterion: "gini",
  maxDepth: null,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxFeatures: null,
  seed: 0,
};
const SCHEMA = z.strictObject({ criterion: z.enum(["gini", "entropy"]), ...TREE_GROWTH_SHAPE });

/** Learned state: one tree whose node values are class probabilities. */
export interface DecisionTreeClassifierState extends TreeModelInfo {
  /** The tree (`nOutputs` = number of classes). */
  readonly tree: TreeArrays;
  /** Number of classes. */
  readonly nClasses: number;
}

/**
 * A CART classification tree with exact split search over float32-rounded feature values;
 * missing values (NaN) are allowed and routed per split. Thresholds are float32, so the ONNX
 * export predicts exactly the same leaves.
 * @example
 * const tree = new DecisionTreeClassifier({ maxDepth: 2 });
 * tree.fit(matrixFromRows([[0, 0], [0, 1], [1, 0], [1, 1]]), Int32Array.from([0, 1, 1, 0]));
 * tree.predict(matrixFromRows([[1, 0]])); // Int32Array [1]
 */
export class DecisionTreeClassifier
  extends Estimator<DecisionTreeClassifierParams, DecisionTreeClassifierState>
  implements Classifier
{
  static override readonly typeName = "DecisionTreeClassifier";
  static override readonly tags: EstimatorTags = {
    kind: "classifier",
    allowNaN: true,
    stochastic: true,
    predictIsArgmax: true,
  };
  static override testParams(): object[] {
    return [{}, { maxDepth: 3, criterion: "entropy" }, { maxFeatures: "sqrt", minSamplesLeaf: 3, seed: 5 }];
  }

  constructor(params: Partial<DecisionTreeClassifierParams> = {}) {
    super(DEFAULTS, params, SCHEMA);
  }

  /** Grows the tree on features `X` and class indices `y` (sample weights are honoured). */
  fit(X: Matrix, y: Int32Array, options: ClassifierFitOptions = {}): this {
    const p = this.validParams();
    const target = classificationTarget(X, y, options.nClasses, this.typeName);
    const builder = new CartBuilder(rankFeatures(X), target, cartOptions(p, p.criterion, X.nRows, X.nCols));
    const { tree, importances } = builder.build(new Rng(p.seed), options.sampleWeight ?? null);
    this.fitted_ = {
      tree,
      nClasses: target.nClasses,
      featureNames: [...X.names],
      featureImportances: normalizeImportances([importances], X.nCols),
    };
    return this;
  }

  /** Number of classes seen at fit time. */
  get nClasses(): number {
    return this.assertFitted().nClasses;
  }

  /** The class with the highest leaf probability per row (lowest index on ties). */
  predict(X: Matrix): Int32Array {
    return argmaxRows(this.predictProba(X));
  }

  /** The class distribution of the leaf each row reaches. */
  predictProba(X: Matrix): ProbaMatrix {
    const s = this.assertFitted();
    checkMatrix(X, undefined, this.typeName);
    checkPredictMatrix(X, s, this.typeName);
    const data = new Float64Array(X.nRows * s.nClasses);
    addTreeOutputs(s.tree, float32Rows(X.columns, X.nRows), data, s.nClasses);
    return { nRows: X.nRows, nClasses: s.nClasses, data };
  }
}

registerEstimators(DecisionTreeClassifier);
