import { z } from "zod";
import type { Matrix } from "../core/matrix.js";
import { Rng } from "../core/random.js";
import type { CartCriterion, CartTarget } from "../tree/cart-builder.js";
import { cartOptions } from "../tree/fit-cart.js";
import { rankFeatures } from "../tree/ranked-features.js";
import type { TreeArrays } from "../tree/tree-arrays.js";
import { normalizeImportances } from "../tree/tree-model.js";
import { TREE_GROWTH_SHAPE, type TreeGrowthParams } from "../tree/tree-params.js";
import { growForest, resolveJobs } from "./grow-forest.js";

/** Params shared by random forest classifiers and regressors (scikit-learn's names, camelCase). */
export interface ForestParams extends TreeGrowthParams {
  /** Number of trees. */
  readonly nEstimators: number;
  /** Grow each tree on a bootstrap sample (n draws with replacement). */
  readonly bootstrap: boolean;
  /** Worker threads: -1 = every core, 1 = the calling thread only. Results do not depend on it. */
  readonly nJobs: number;
}

/** Zod shape of {@link ForestParams}. */
export const FOREST_SHAPE = {
  ...TREE_GROWTH_SHAPE,
  nEstimators: z.int().gte(1),
  bootstrap: z.boolean(),
  nJobs: z.int().refine((v) => v !== 0, "nJobs must be -1 (every core) or a positive count, not 0"),
};

/** Learned trees and normalized importances of a forest. */
export interface GrownForest {
  /** One tree per estimator. */
  readonly trees: TreeArrays[];
  /** Mean of the per-tree normalized importances. */
  readonly featureImportances: Float64Array;
}

/**
 * Grows a forest: features are ranked once into a SharedArrayBuffer and each tree's seed is
 * drawn from `Rng(seed)` in order, so the forest depends only on the data and `seed`.
 */
export function fitForest(
  X: Matrix,
  target: CartTarget,
  p: ForestParams,
  criterion: CartCriterion,
): GrownForest {
  const jobs = resolveJobs(p.nJobs, p.nEstimators);
  const share = (bytes: number) => (jobs > 1 ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const data = rankFeatures(X, share);
  const sharedY =
    target.kind === "classification"
      ? new Int32Array(share(target.y.byteLength))
      : new Float64Array(share(target.y.byteLength));
  sharedY.set(target.y);
  const rng = new Rng(p.seed);
  const seeds = Array.from({ length: p.nEstimators }, () => rng.childSeed());
  const results = growForest(
    {
      data,
      target: { ...target, y: sharedY } as CartTarget,
      options: cartOptions(p, criterion, X.nRows, X.nCols),
      bootstrap: p.bootstrap,
    },
    seeds,
    jobs,
  );
  return {
    trees: results.map((r) => r.tree),
    featureImportances: normalizeImportances(
      results.map((r) => r.importances),
      X.nCols,
    ),
  };
}
