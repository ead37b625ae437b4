/**
 * From a search config (`{ model: "gbdt", "gbdt.learningRate": 0.05 }`) to a catalog estimator,
 * and from a trial's budget fraction to what is cut: boosting rounds for iterative models (early
 * stopping stays inside boosting), training rows for the rest.
 */
import type { AnyEstimator } from "../../learn/core/estimator.js";
import { type CatalogEntry, createModel, type ParamLiteral } from "../../learn/train/model-catalog.js";
import type { Task } from "../../learn/train/task.js";
import { splitModelConfig } from "../space/combined-space.js";
import type { Config } from "../space/types.js";

/** How trials build their estimators. */
export interface TrialModelSettings {
  /** Search seed: the estimator's `seed` unless the config sets one, so trials differ only by config. */
  readonly seed: number;
  /** Threads an estimator may start itself (`nJobs`); 1 inside a search worker, else the estimator's default. */
  readonly innerJobs?: number | undefined;
}

/** A trial's estimator and what its budget cut. */
export interface TrialModel {
  /** Catalog entry (preprocessing). */
  readonly entry: CatalogEntry;
  /** The unfitted estimator, budget applied. */
  readonly estimator: AnyEstimator;
  /** Share of each fold's training rows to fit on (1 = all). */
  readonly rowFraction: number;
}

/**
 * Full-budget params for `model`: the config's, plus the search seed for seeded estimators.
 * The final refit trains with exactly these.
 */
export function fullParams(config: Config, task: Task, settings: TrialModelSettings): FullParams {
  const { model, params: searched } = splitModelConfig(config);
  const params: Record<string, ParamLiteral> = { ...searched };
  const { estimator } = createModel(model, task, params);
  const defaults = estimator.getParams() as Record<string, unknown>;
  if ("seed" in defaults && !hasKey(params, "seed")) params.seed = settings.seed;
  return { model, params };
}

/** A config's model and its full-budget estimator params. */
export interface FullParams {
  /** Catalog model. */
  readonly model: string;
  /** Estimator params. */
  readonly params: Record<string, ParamLiteral>;
}

/** Builds the estimator of a trial with `budget` in (0, 1] applied. Throws on unknown models or params. */
export function trialModel(
  config: Config,
  budget: number,
  task: Task,
  settings: TrialModelSettings,
): TrialModel {
  const { model, params } = fullParams(config, task, settings);
  const { entry, estimator } = createModel(model, task, params);
  const current = estimator.getParams() as Record<string, unknown>;
  if (settings.innerJobs !== undefined && "nJobs" in current && !hasKey(params, "nJobs")) {
    estimator.setParams({ nJobs: settings.innerJobs });
  }
  if (entry.iterative === true && typeof current.maxIter === "number") {
    if (budget < 1) estimator.setParams({ maxIter: Math.max(1, Math.round(current.maxIter * budget)) });
    return { entry, estimator, rowFraction: 1 };
  }
  return { entry, estimator, rowFraction: budget };
}

/** True when `params` sets `key` in camelCase or snake_case. */
function hasKey(params: Readonly<Record<string, unknown>>, key: string): boolean {
  const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return key in params || snake in params;
}
