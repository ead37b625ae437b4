/**
 * Options of a model search, their defaults and their checks. Everything that can be wrong with
 * them is reported before any data is loaded or any run is started; the task-dependent checks
 * (models that fit the task, the metric) right after the data is loaded.
 */
import { invalidParam } from "../../errors.js";
import { catalogEntry, estimatorClassFor, MODEL_CATALOG } from "../../learn/train/model-catalog.js";
import { primaryMetric } from "../../learn/train/scores.js";
import { isClassification, type Task } from "../../learn/train/task.js";
import type { ColumnRole } from "../../learn/transform/column-roles.js";
import { combinedSpace } from "../space/combined-space.js";
import { DEFAULT_SPACES } from "../space/default-spaces.js";
import { STRATEGY_NAMES, type StrategyName } from "../strategies/strategy.js";
import { checkMetric } from "./search-metric.js";

/** Defaults of {@link SearchOptions}. */
export const SEARCH_DEFAULTS = Object.freeze({
  strategy: "tpe" as StrategyName,
  trials: 20,
  cv: 3,
  parallel: 1,
  seed: 0,
});

/** Options of a model search (the `keel search` flags). */
export interface SearchOptions {
  /** Training data file. */
  readonly data?: string | undefined;
  /** Target column. */
  readonly target?: string | undefined;
  /** Test file: the refit best model is scored on it (else by cross-validation). */
  readonly test?: string | undefined;
  /** Task override. */
  readonly task?: string | undefined;
  /** Column role overrides. */
  readonly roles?: Readonly<Record<string, ColumnRole>> | undefined;
  /** Catalog models to search (default: every searchable model that fits the task). */
  readonly models?: readonly string[] | undefined;
  /** Search strategy (default tpe). */
  readonly strategy?: string | undefined;
  /** Trials (halving: configs of the first rung; grid: cap on grid points). Default 20. */
  readonly trials?: number | undefined;
  /** Stop launching trials after this many ms of searching. */
  readonly timeBudgetMs?: number | undefined;
  /** Cross-validation folds per trial (default 3). */
  readonly cv?: number | undefined;
  /** Metric to optimise (default: the task's primary metric). */
  readonly metric?: string | undefined;
  /** Trials at once on worker threads (default 1: in this thread). */
  readonly parallel?: number | undefined;
  /** Seed of the strategy, the folds and the estimators (default 0). */
  readonly seed?: number | undefined;
  /** YAML (or JSON) file overriding the default search spaces. */
  readonly space?: string | undefined;
  /** Experiment of the search run. */
  readonly experiment?: string | undefined;
  /** Name of the search run. */
  readonly runName?: string | undefined;
  /** Register the refit best model under this name. */
  readonly register?: string | undefined;
  /** Alias for the registered version. */
  readonly alias?: string | undefined;
  /** Continue the search run with this id (its stored options apply). */
  readonly resume?: string | undefined;
  /** Refit the best config on all the training data and package it (default true). */
  readonly refit?: boolean | undefined;
}

/** Options a resumed search may change; every other option comes from the stored run. */
export const RESUME_OVERRIDES = ["parallel", "timeBudgetMs", "register", "alias", "refit"] as const;

/** The `keel search` flag of each option, for messages. */
export const OPTION_FLAGS: Readonly<Record<keyof SearchOptions, string>> = {
  data: "--data",
  target: "--target",
  test: "--test",
  task: "--task",
  roles: "roles",
  models: "--models",
  strategy: "--strategy",
  trials: "--trials",
  timeBudgetMs: "--time-budget",
  cv: "--cv",
  metric: "--metric",
  parallel: "--parallel",
  seed: "--seed",
  space: "--space",
  experiment: "--experiment",
  runName: "--run-name",
  register: "--register",
  alias: "--alias",
  resume: "--resume",
  refit: "refit",
};

/** The options that define a search, checked and with defaults applied (stored as run params). */
export interface SearchPlan {
  /** Training data file (absolute). */
  readonly data: string;
  /** Target column. */
  readonly target: string;
  /** Test file (absolute). */
  readonly test?: string | undefined;
  /** Task override as given. */
  readonly task?: string | undefined;
  /** Column role overrides. */
  readonly roles?: Readonly<Record<string, ColumnRole>> | undefined;
  /** Models searched. */
  readonly models: readonly string[];
  /** Strategy. */
  readonly strategy: StrategyName;
  /** Trials. */
  readonly trials: number;
  /** Time budget in ms. */
  readonly timeBudgetMs?: number | undefined;
  /** Folds. */
  readonly cv: number;
  /** Metric optimised. */
  readonly metric: string;
  /** Concurrent trials. */
  readonly parallel: number;
  /** Seed. */
  readonly seed: number;
  /** Registered model name. */
  readonly register?: string | undefined;
  /** Alias of the registered version. */
  readonly alias?: string | undefined;
}

/** A plan whose models and metric wait for the task. */
export type PartialPlan = Omit<SearchPlan, "models" | "metric">;

/** Checks the options that do not depend on the data; throws a KeelError naming the flag. */
export function checkSearchOptions(options: SearchOptions, resolvePath: (p: string) => string): PartialPlan {
  if (options.data === undefined || options.data === "") throw invalidParam("--data FILE is required");
  if (options.target === undefined || options.target === "") {
    throw invalidParam("--target COLUMN is required");
  }
  const strategy = options.strategy ?? SEARCH_DEFAULTS.strategy;
  if (!(STRATEGY_NAMES as readonly string[]).includes(strategy)) {
    throw invalidParam(`--strategy '${strategy}' is not a strategy; use one of ${STRATEGY_NAMES.join(", ")}`);
  }
  const trials = integerAtLeast("--trials", options.trials ?? SEARCH_DEFAULTS.trials, 1);
  const cv = integerAtLeast("--cv", options.cv ?? SEARCH_DEFAULTS.cv, 2);
  const parallel = integerAtLeast("--parallel", options.parallel ?? SEARCH_DEFAULTS.parallel, 1);
  const seed = integerAtLeast("--seed", options.seed ?? SEARCH_DEFAULTS.seed, 0);
  if (options.timeBudgetMs !== undefined && !(options.timeBudgetMs > 0)) {
    throw invalidParam(`--time-budget must be a positive duration, got ${options.timeBudgetMs} ms`);
  }
  if (options.alias !== undefined && options.register === undefined) {
    throw invalidParam("--alias needs --register NAME: an alias points at a registered version");
  }
  // The combined space checks the list: known, searchable (not dummy), non-empty, no repeats.
  if (options.models !== undefined) combinedSpace(options.models);
  return {
    data: resolvePath(options.data),
    target: options.target,
    ...(options.test !== undefined ? { test: resolvePath(options.test) } : {}),
    ...(options.task !== undefined ? { task: options.task } : {}),
    ...(options.roles !== undefined ? { roles: options.roles } : {}),
    strategy: strategy as StrategyName,
    trials,
    ...(options.timeBudgetMs !== undefined ? { timeBudgetMs: options.timeBudgetMs } : {}),
    cv,
    parallel,
    seed,
    ...(options.register !== undefined ? { register: options.register } : {}),
    ...(options.alias !== undefined ? { alias: options.alias } : {}),
  };
}

/** Completes a plan once the task is known: the models (checked against the task) and the metric. */
export function completePlan(plan: PartialPlan, options: SearchOptions, task: Task): SearchPlan {
  const models = options.models ?? defaultModels(task);
  for (const model of models) estimatorClassFor(catalogEntry(model), task);
  const metric = options.metric ?? primaryMetric(task);
  checkMetric(metric, task);
  return { ...plan, models: [...models], metric };
}

/** Every searchable catalog model that has an estimator for `task`. */
export function defaultModels(task: Task): string[] {
  return MODEL_CATALOG.filter(
    (e) => Object.hasOwn(DEFAULT_SPACES, e.name) && (isClassification(task) ? e.classifier : e.regressor),
  ).map((e) => e.name);
}

function integerAtLeast(flag: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw invalidParam(`${flag} must be an integer >= ${min}, got ${value}`);
  }
  return value;
}
