/**
 * Default search spaces per catalog model, with the estimators' real param names and ranges in
 * the spirit of Optuna's LightGBM tuner and FLAML: rates and penalties log-uniform, sizes
 * integer (log-scaled when they span decades), and one genuinely conditional param (gbdt's
 * `nIterNoChange` only matters when `earlyStopping` is on). `seed` and `nJobs` are left to the
 * runner; criteria are left out because classifiers and regressors accept different ones.
 */
import { invalidParam } from "../../errors.js";
import { MODEL_NAMES } from "../../learn/train/model-catalog.js";
import type { Distribution, ParamSpec, SearchSpace } from "./types.js";

const logUniform = (low: number, high: number): Distribution => ({ kind: "uniform", low, high, log: true });
const uniform = (low: number, high: number): Distribution => ({ kind: "uniform", low, high });
const int = (low: number, high: number, log = false): Distribution => ({ kind: "int", low, high, log });
const choice = (...values: (number | string | boolean)[]): Distribution => ({ kind: "choice", values });
const param = (name: string, dist: Distribution, when?: ParamSpec["when"]): ParamSpec =>
  when ? { name, dist, when } : { name, dist };

/** Default spaces by catalog model name (every model but the `dummy` baseline). */
export const DEFAULT_SPACES: Readonly<Record<string, SearchSpace>> = deepFreeze({
  gbdt: {
    params: [
      param("learningRate", logUniform(0.01, 0.3)),
      param("maxIter", int(50, 500, true)),
      param("maxLeafNodes", int(8, 128, true)),
      param("maxDepth", int(3, 12)),
      param("minSamplesLeaf", int(5, 100, true)),
      param("minChildWeight", logUniform(1e-3, 10)),
      param("l2Regularization", logUniform(1e-6, 10)),
      param("subsample", uniform(0.5, 1)),
      param("colsampleBytree", uniform(0.5, 1)),
      param("earlyStopping", choice(true, false)),
      param("nIterNoChange", int(5, 30), { earlyStopping: [true] }),
    ],
  },
  rf: {
    params: [
      param("nEstimators", int(50, 300, true)),
      param("maxDepth", int(4, 32, true)),
      param("minSamplesLeaf", int(1, 32, true)),
      param("maxFeatures", choice("sqrt", "log2", 0.5, 1)),
      param("bootstrap", choice(true, false)),
    ],
  },
  tree: {
    params: [
      param("maxDepth", int(2, 20)),
      param("minSamplesSplit", int(2, 64, true)),
      param("minSamplesLeaf", int(1, 32, true)),
      param("maxFeatures", choice(1, "sqrt", 0.5)),
    ],
  },
  logreg: { params: [param("C", logUniform(1e-3, 1e2))] },
  linear: { params: [param("fitIntercept", choice(true, false))] },
  ridge: { params: [param("alpha", logUniform(1e-3, 1e3))] },
  knn: {
    params: [param("nNeighbors", int(1, 50, true)), param("weights", choice("uniform", "distance"))],
  },
  nb: { params: [param("varSmoothing", logUniform(1e-12, 1e-1))] },
});

/**
 * The default search space of catalog model `model` (params unprefixed).
 * @throws KeelError INVALID_PARAMETER_VALUE for `dummy` (the baseline is not searched) or an unknown model.
 * @example defaultSpace("knn").params.map((p) => p.name); // ["nNeighbors", "weights"]
 */
export function defaultSpace(model: string): SearchSpace {
  const space = DEFAULT_SPACES[model];
  if (space && Object.hasOwn(DEFAULT_SPACES, model)) return space;
  const searchable = Object.keys(DEFAULT_SPACES).join(", ");
  if (MODEL_NAMES.includes(model)) {
    throw invalidParam(
      `Model '${model}' has no search space (it is the baseline every search reports); search one of ${searchable}`,
    );
  }
  throw invalidParam(`Unknown model '${model}'; search one of ${searchable}`);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
