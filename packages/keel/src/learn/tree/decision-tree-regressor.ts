import { z } from "zod";
import type { FitOptions, Regressor } from "../core/capabilities.js";
import { Estimator } from "../core/estimator.js";
import { checkMatrix, type Matrix } from "../core/matrix.js";
import { Rng } from "../core/random.js";
import { registerEstimators } from "../core/registry.js";
import type { EstimatorTags } from "../core/tags.js";
import { CartBuilder } from "./cart-builder.js";
import { cartOptions, regressionTarget } from "./fit-cart.js";
import { rankFeatures } from "./ranked-features.js";
import type { TreeArrays } from "./tree-arrays.js";
import { checkPredictMatrix, normalizeImportances, type TreeModelInfo } from "./tree-model.js";
import { TREE_GROWTH_SHAPE, type TreeGrowthParams } from "./tree-params.js";
import { addTreeOutputs, float32Rows } from "./tree-predict.js";

/** Params of {@link DecisionTreeRegressor} (scikit-learn's DecisionTreeRegressor). */
export interface DecisionTreeRegressorParams extends TreeGrowthParams {
  /** Split quality: only squared error (variance reduction). */
  readonly criterion: "squared_error";
}

const DEFAULTS: DecisionTreeRegressorParams = {
  criterion: "squared_error",
  maxDepth: null,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxFeatures: null,
  seed: 0,
};
const SCHEMA = z.strictObject({ criterion: z.literal("squared_error"), ...TREE_GROWTH_SHAPE });

/** Learned state: one tree whose node values are target means. */
export interface DecisionTreeRegressorState extends TreeModelInfo {
  /** The tree (`nOutputs` = 1). */
  readonly tree: TreeArrays;
}

/**
 * A CART regression tree (squared error) with exact split search over float32-rounded
 * feature values; NaN features are allowed.
 * @example
 * const tree = new DecisionTreeRegressor({ maxDepth: 1 });
 * tree.fit(matrixFromRows([[1], [2], [3], [4]]), Float64Array.from([5, 5, 9, 9]));
 * tree.predict(matrixFromRows([[3.5]])); // Float64Array [9]
 */
export class DecisionTreeRegressor
  extends Estimator<DecisionTreeRegressorParams, DecisionTreeRegressorState>
  implements Regressor
{
  static override readonly typeName = "DecisionTreeRegressor";
  static override readonly tags: EstimatorTags = { kind: "regressor", allowNaN: true, stochastic: true };
  static override testParams(): object[] {
    return [{}, { maxDepth: 3 }, { maxFeatures: 0.5, minSamplesLeaf: 2, seed: 5 }];
  }

  constructor(params: Partial<DecisionTreeRegressorParams> = {}) {
    super(DEFAULTS, params, SCHEMA);
  }

  /** Grows the tree on features `X` and targets `y` (sample weights are honoured). */
  fit(X: Matrix, y: Float64Array, options: FitOptions<Float64Array> = {}): this {
    const p = this.validParams();
    const target = regressionTarget(X, y, this.typeName);
    const builder = new CartBuilder(rankFeatures(X), target, cartOptions(p, p.criterion, X.nRows, X.nCols));
    const { tree, importances } = builder.build(new Rng(p.seed), options.sampleWeight ?? null);
    this.fitted_ = {
      tree,
      featureNames: [...X.names],
      featureImportances: normalizeImportances([importances], X.nCols),
    };
    return this;
  }

  /** The mean target of the leaf each row reaches. */
  predict(X: Matrix): Float64Array {
    const s = this.assertFitted();
    checkMatrix(X, undefined, this.typeName);
    checkPredictMatrix(X, s, this.typeName);
    const out = new Float64Array(X.nRows);
    addTreeOutputs(s.tree, float32Rows(X.columns, X.nRows), out, 1);
    return out;
  }
}

registerEstimators(DecisionTreeRegressor);
