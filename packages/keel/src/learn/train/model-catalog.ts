/**
 * The models `keel train --model NAME` knows: each name maps to a classifier and/or regressor
 * class and to the preprocessing that learner needs (trees take NaN and ordinal codes as they
 * are; linear models and kNN want imputed, scaled, one-hot features).
 */
import { invalidParam } from "../../errors.js";
import type { AnyEstimator, EstimatorClass } from "../core/estimator.js";
import { DummyClassifier, DummyRegressor } from "../dummy/index.js";
import {
  HistGradientBoostingClassifier,
  HistGradientBoostingRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
} from "../ensemble/index.js";
import { LinearRegression, LogisticRegression, Ridge } from "../linear/index.js";
import { GaussianNB } from "../naive-bayes/index.js";
import { KNeighborsClassifier, KNeighborsRegressor } from "../neighbors/index.js";
import type { PreprocessorOptions } from "../pipeline/index.js";
import { DecisionTreeClassifier, DecisionTreeRegressor } from "../tree/index.js";
import { isClassification, type Task } from "./task.js";

/** One model of the catalog. */
export interface CatalogEntry {
  /** The `--model` name. */
  readonly name: string;
  /** One line for `--help`. */
  readonly summary: string;
  /** Estimator for classification tasks, if the model has one. */
  readonly classifier?: EstimatorClass;
  /** Estimator for regression, if the model has one. */
  readonly regressor?: EstimatorClass;
  /** Preprocessing in front of the estimator. */
  readonly preprocess: PreprocessorOptions;
  /** True when fitting reports every iteration (boosting), so a progress bar can follow it. */
  readonly iterative?: boolean;
}

const TREES: PreprocessorOptions = { impute: false, categorical: "ordinal" };
const SCALED: PreprocessorOptions = { impute: true, scale: true, categorical: "onehot" };

/** Every model, by `--model` name. */
export const MODEL_CATALOG: readonly CatalogEntry[] = Object.freeze([
  {
    name: "gbdt",
    summary: "histogram gradient boosting (binary, multiclass, regression)",
    classifier: HistGradientBoostingClassifier,
    regressor: HistGradientBoostingRegressor,
    preprocess: TREES,
    iterative: true,
  },
  {
    name: "rf",
    summary: "random forest (trees grown in parallel worker threads)",
    classifier: RandomForestClassifier,
    regressor: RandomForestRegressor,
    preprocess: TREES,
  },
  {
    name: "tree",
    summary: "one CART decision tree",
    classifier: DecisionTreeClassifier,
    regressor: DecisionTreeRegressor,
    preprocess: TREES,
  },
  {
    name: "logreg",
    summary: "logistic regression (L2, multinomial, L-BFGS) on scaled features",
    classifier: LogisticRegression,
    preprocess: SCALED,
  },
  { name: "linear", summary: "ordinary least squares", regressor: LinearRegression, preprocess: SCALED },
  { name: "ridge", summary: "ridge regression (L2)", regressor: Ridge, preprocess: SCALED },
  {
    name: "knn",
    summary: "k-nearest neighbours on scaled features",
    classifier: KNeighborsClassifier,
    regressor: KNeighborsRegressor,
    preprocess: SCALED,
  },
  {
    name: "nb",
    summary: "Gaussian naive Bayes",
    classifier: GaussianNB,
    preprocess: { impute: true, categorical: "onehot" },
  },
  {
    name: "dummy",
    summary: "a baseline that ignores the features",
    classifier: DummyClassifier,
    regressor: DummyRegressor,
    preprocess: { impute: true, categorical: "onehot" },
  },
]);

/** The names of {@link MODEL_CATALOG}. */
export const MODEL_NAMES: readonly string[] = MODEL_CATALOG.map((e) => e.name);

/** The catalog entry for `name`, or an error listing the models. */
export function catalogEntry(name: string): CatalogEntry {
  const entry = MODEL_CATALOG.find((e) => e.name === name);
  if (!entry) throw invalidParam(`Unknown model '${name}'; use one of ${MODEL_NAMES.join(", ")}`);
  return entry;
}

/** The estimator class of `entry` for `task`, or an error naming the models that fit the task. */
export function estimatorClassFor(entry: CatalogEntry, task: Task): EstimatorClass {
  const Ctor = isClassification(task) ? entry.classifier : entry.regressor;
  if (!Ctor) {
    const fits = MODEL_CATALOG.filter((e) => (isClassification(task) ? e.classifier : e.regressor)).map(
      (e) => e.name,
    );
    throw invalidParam(
      `Model '${entry.name}' does not do ${task === "regression" ? "regression" : "classification"}; for a ${task} task use one of ${fits.join(", ")}`,
    );
  }
  return Ctor;
}

/** A `--param` value after parsing: numbers, booleans and null are typed, the rest stays text. */
export type ParamLiteral = string | number | boolean | null;

/**
 * Parses `k=v` strings. Values `true`/`false`/`null` and numbers are typed; anything else is a
 * string. A missing `=` or an empty key is an error naming the argument.
 * @example parseParamArgs(["maxIter=200", "earlyStopping=false"]) // { maxIter: 200, earlyStopping: false }
 */
export function parseParamArgs(args: readonly string[]): Record<string, ParamLiteral> {
  const out: Record<string, ParamLiteral> = {};
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (eq <= 0) throw invalidParam(`--param '${arg}' must look like key=value, e.g. --param maxIter=200`);
    const key = arg.slice(0, eq).trim();
    const raw = arg.slice(eq + 1).trim();
    if (key in out) throw invalidParam(`--param '${key}' is given twice`);
    out[key] = literal(raw);
  }
  return out;
}

function literal(raw: string): ParamLiteral {
  if (raw === "true") return true;
  if (raw === "false") return false;
  if (raw === "null") return null;
  if (raw !== "" && Number.isFinite(Number(raw))) return Number(raw);
  return raw;
}

/** An estimator built from the catalog, with its params as the estimator holds them. */
export interface CatalogModel {
  /** The catalog entry. */
  readonly entry: CatalogEntry;
  /** The unfitted estimator. */
  readonly estimator: AnyEstimator;
}

/**
 * Builds model `name` for `task` with `params`. Keys may be camelCase (`maxIter`) or snake_case
 * (`max_iter`); an unknown key is an error naming it and listing the estimator's params. Values
 * are validated when the estimator is fitted (the error names the param and the allowed range).
 */
export function createModel(
  name: string,
  task: Task,
  params: Readonly<Record<string, ParamLiteral>> = {},
): CatalogModel {
  const entry = catalogEntry(name);
  const Ctor = estimatorClassFor(entry, task);
  const allowed = Object.keys(new Ctor().getParams());
  const resolved: Record<string, ParamLiteral> = {};
  for (const [key, value] of Object.entries(params)) {
    const camel = key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
    const match = allowed.find((k) => k === key || k === camel);
    if (!match) {
      throw invalidParam(
        `Model '${name}' (${Ctor.typeName}) has no parameter '${key}'; its parameters: ${allowed.join(", ")}`,
      );
    }
    resolved[match] = value;
  }
  return { entry, estimator: new Ctor(resolved) };
}
