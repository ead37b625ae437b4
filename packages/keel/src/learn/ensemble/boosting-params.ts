import { z } from "zod";

/** Params shared by histogram gradient boosting classifiers and regressors (scikit-learn's names, camelCase, plus xgboost's subsampling). */
export interface BoostingParams {
  /** Shrinkage of each tree's contribution. */
  readonly learningRate: number;
  /** Boosting iterations (trees per output). */
  readonly maxIter: number;
  /** Leaves per tree (best-first growth); null for no limit (then maxDepth bounds the tree). */
  readonly maxLeafNodes: number | null;
  /** Depth limit; null for none. */
  readonly maxDepth: number | null;
  /** Minimum rows per leaf. */
  readonly minSamplesLeaf: number;
  /** Minimum hessian sum per leaf (xgboost's min_child_weight; scikit-learn's 1e-3). */
  readonly minChildWeight: number;
  /** L2 penalty on leaf values (xgboost's lambda). */
  readonly l2Regularization: number;
  /** Bins for non-missing values per feature (2..255); NaN gets its own bin. */
  readonly maxBins: number;
  /** Fraction of rows sampled (without replacement) per iteration. */
  readonly subsample: number;
  /** Fraction of features sampled per tree. */
  readonly colsampleBytree: number;
  /** "auto": on when there are more than 10,000 rows (scikit-learn's rule). */
  readonly earlyStopping: "auto" | boolean;
  /** Share of the training rows held out to score early stopping (stratified for classifiers); unused when `fit` gets an evalSet. */
  readonly validationFraction: number;
  /** Stop when the validation loss has not improved by more than `tol` for this many iterations. */
  readonly nIterNoChange: number;
  /** Minimum improvement that counts. */
  readonly tol: number;
  /** Seed of binning subsample, validation split and row/column sampling. */
  readonly seed: number;
  /**
   * Threads: -1 = every core, 1 = the calling thread only; at most one per row shard (two from
   * 100,000 training rows, else one). Results do not depend on it.
   */
  readonly nJobs: number;
}

/** scikit-learn 1.2's HistGradientBoosting defaults. */
export const BOOSTING_DEFAULTS: BoostingParams = {
  learningRate: 0.1,
  maxIter: 100,
  maxLeafNodes: 31,
  maxDepth: null,
  minSamplesLeaf: 20,
  minChildWeight: 1e-3,
  l2Regularization: 0,
  maxBins: 255,
  subsample: 1,
  colsampleBytree: 1,
  earlyStopping: "auto",
  validationFraction: 0.1,
  nIterNoChange: 10,
  tol: 1e-7,
  seed: 0,
  nJobs: -1,
};

/** Zod schema of {@link BoostingParams}. */
export const BOOSTING_SCHEMA = z.strictObject({
  learningRate: z.number().gt(0),
  maxIter: z.int().gte(1),
  maxLeafNodes: z.int().gte(2).nullable(),
  maxDepth: z.int().gte(1).nullable(),
  minSamplesLeaf: z.int().gte(1),
  minChildWeight: z.number().gte(0),
  l2Regularization: z.number().gte(0),
  maxBins: z.int().gte(2).lte(255),
  subsample: z.number().gt(0).lte(1),
  colsampleBytree: z.number().gt(0).lte(1),
  earlyStopping: z.union([z.literal("auto"), z.boolean()]),
  validationFraction: z.number().gt(0).lt(1),
  nIterNoChange: z.int().gte(1),
  tol: z.number().gte(0),
  seed: z.int(),
  nJobs: z.int().refine((v) => v !== 0, "nJobs must be -1 (every core) or a positive count, not 0"),
});
