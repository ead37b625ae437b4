import type { AnyEstimator } from "./estimator.js";
import { Estimator } from "./estimator.js";
import type { Matrix } from "./matrix.js";
import type { ProbaMatrix } from "./proba-matrix.js";
import type { Table } from "./table.js";

/**
 * Called once per boosting iteration (or epoch) with that iteration's metrics, e.g.
 * `{ train_logloss: 0.41, valid_logloss: 0.44 }`; the trainer logs these as a training curve.
 */
export type IterationCallback = (iteration: number, metrics: Readonly<Record<string, number>>) => void;

/** Options of a supervised `fit`. */
export interface FitOptions<Y> {
  /** Held-out data scored each iteration (and used for early stopping when the learner supports it). */
  evalSet?: { X: Matrix; y: Y };
  /** Training-curve hook. */
  onIteration?: IterationCallback;
  /** Per-row weights (learners that do not support them ignore the option and say so in TSDoc). */
  sampleWeight?: Float64Array;
}

/** Options of a classifier's `fit`. */
export interface ClassifierFitOptions extends FitOptions<Int32Array> {
  /** Number of classes when some are absent from `y` (default: max(y) + 1). */
  nClasses?: number;
}

/** A classifier over class indices 0..nClasses-1; the label strings are kept by the pipeline. */
export interface Classifier {
  /** Learns from features `X` and class indices `y`. */
  fit(X: Matrix, y: Int32Array, options?: ClassifierFitOptions): this;
  /** Predicted class index per row. */
  predict(X: Matrix): Int32Array;
  /** Class probabilities per row. */
  predictProba(X: Matrix): ProbaMatrix;
  /** Number of classes seen at fit time. */
  readonly nClasses: number;
}

/** A regressor. */
export interface Regressor {
  /** Learns from features `X` and targets `y`. */
  fit(X: Matrix, y: Float64Array, options?: FitOptions<Float64Array>): this;
  /** Predicted value per row. */
  predict(X: Matrix): Float64Array;
}

/** A transformer from tables to tables (imputers, scalers, encoders, column transformer). */
export interface Transformer {
  /** Learns statistics from `table`. */
  fit(table: Table): this;
  /** Applies the learned transformation; columns it does not own pass through unchanged. */
  transform(table: Table): Table;
}

/** True for a classifier estimator (by tags, so meta-estimators such as Pipeline count too). */
export function isClassifier(e: unknown): e is AnyEstimator & Classifier {
  return e instanceof Estimator && e.tags.kind === "classifier";
}

/** True for a regressor estimator. */
export function isRegressor(e: unknown): e is AnyEstimator & Regressor {
  return e instanceof Estimator && e.tags.kind === "regressor";
}

/** True for a transformer. */
export function isTransformer(e: unknown): e is AnyEstimator & Transformer {
  return e instanceof Estimator && e.tags.kind === "transformer";
}

/** Fits then transforms (a transformer may override this with a faster single pass). */
export function fitTransform(t: Transformer, table: Table): Table {
  return t.fit(table).transform(table);
}
