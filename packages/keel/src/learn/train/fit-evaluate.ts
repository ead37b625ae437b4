/**
 * Fit a pipeline on some rows and score it on others: the one procedure behind the holdout,
 * the test file and every cross-validation fold, for the model and its baselines alike.
 */
import type { IterationCallback } from "../core/capabilities.js";
import type { ProbaMatrix } from "../core/proba-matrix.js";
import { type Table, takeTableRows } from "../core/table.js";
import { pick } from "../metrics/bootstrap.js";
import type { Pipeline } from "../pipeline/index.js";
import { kFoldSplits, type RowSplit } from "./folds.js";
import { classificationScores, regressionScores, type Scores } from "./scores.js";
import { isClassification, type Task } from "./task.js";

/** The supervised problem: task, target and (for classifiers) the class labels. */
export interface Problem {
  /** What is predicted. */
  readonly task: Task;
  /** Target column. */
  readonly target: string;
  /** Class labels by index (classification), else null. */
  readonly classes: readonly string[] | null;
}

/** Features and encoded target. */
export interface LabelledData {
  /** Feature columns. */
  readonly X: Table;
  /** Class indices or values. */
  readonly y: Int32Array | Float64Array;
}

/** A model's predictions for some rows. */
export interface Predictions {
  /** Class index per row (classification). */
  readonly label?: Int32Array;
  /** Class probabilities (classification). */
  readonly proba?: ProbaMatrix;
  /** Predicted value per row (regression). */
  readonly value?: Float64Array;
}

/** Number of classes of a problem (0 for regression). */
export function classCount(problem: Problem): number {
  return problem.classes?.length ?? 0;
}

/** Fits `pipe` on `data`, passing the class labels and the training-curve hook. */
export function fitPipeline(
  pipe: Pipeline,
  data: LabelledData,
  problem: Problem,
  onIteration?: IterationCallback,
): Pipeline {
  return pipe.fit(data.X, data.y, {
    ...(problem.classes ? { classes: problem.classes, nClasses: problem.classes.length } : {}),
    ...(onIteration ? { onIteration } : {}),
  });
}

/** Predictions of a fitted pipeline on `X`. */
export function predict(pipe: Pipeline, X: Table, problem: Problem): Predictions {
  if (!isClassification(problem.task)) return { value: pipe.predict(X) as unknown as Float64Array };
  return pipe.predictWithProba(X);
}

/** The metric set for `pred` against the true `y`. */
export function scorePredictions(problem: Problem, y: Int32Array | Float64Array, pred: Predictions): Scores {
  if (isClassification(problem.task)) {
    return classificationScores(y as Int32Array, pred.label!, classCount(problem), pred.proba);
  }
  return regressionScores(y as Float64Array, pred.value!);
}

/** The rows `idx` of `data`. */
export function takeRows(data: LabelledData, idx: Int32Array): LabelledData {
  return { X: takeTableRows(data.X, idx), y: pick(data.y, idx) };
}

/** Result of {@link crossValidate}. */
export interface CrossValidation {
  /** Scores of each fold. */
  readonly folds: Scores[];
  /** Out-of-fold predictions, one per row of the data. */
  readonly outOfFold: Predictions;
}

/**
 * K-fold cross-validation (stratified for classifiers): a fresh clone of `pipe` per fold, scored
 * on the held-out fold. `onFold` is called after each fold (progress).
 */
export function crossValidate(
  pipe: Pipeline,
  data: LabelledData,
  problem: Problem,
  k: number,
  seed: number,
  onFold?: (fold: number, scores: Scores) => void,
): CrossValidation {
  const n = data.X.rowCount;
  const splits = kFoldSplits(n, k, seed, isClassification(problem.task) ? (data.y as Int32Array) : undefined);
  const oof = emptyPredictions(n, problem);
  const folds: Scores[] = [];
  splits.forEach((split: RowSplit, f) => {
    const fitted = fitPipeline(pipe.clone(), takeRows(data, split.train), problem);
    const test = takeRows(data, split.test);
    const pred = predict(fitted, test.X, problem);
    scatter(oof, pred, split.test, classCount(problem));
    const scores = scorePredictions(problem, test.y, pred);
    folds.push(scores);
    onFold?.(f, scores);
  });
  return { folds, outOfFold: oof };
}

function emptyPredictions(n: number, problem: Problem): Required<Predictions> {
  const k = classCount(problem);
  return {
    label: new Int32Array(n),
    proba: { nRows: n, nClasses: k, data: new Float64Array(n * k) },
    value: new Float64Array(n),
  };
}

function scatter(into: Required<Predictions>, from: Predictions, rows: Int32Array, k: number): void {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (from.label) into.label[r] = from.label[i]!;
    if (from.value) into.value[r] = from.value[i]!;
    if (from.proba) into.proba.data.set(from.proba.data.subarray(i * k, (i + 1) * k), r * k);
  }
}
