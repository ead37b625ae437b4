import { invalidParam } from "../../errors.js";
import type { AnyEstimator } from "../core/estimator.js";
import { type Matrix, takeMatrixRows } from "../core/matrix.js";
import type { ProbaMatrix } from "../core/proba-matrix.js";
import { type Table, tableToMatrix, takeTableRows } from "../core/table.js";
import { accuracy, balancedAccuracy, precisionRecallF1 } from "../metrics/classification.js";
import { logLoss, rocAuc } from "../metrics/probabilistic.js";
import { mae, r2, rmse } from "../metrics/regression.js";
import type { Fold, Splitter } from "./splitter.js";

/** A target: class indices or values. */
export type Target = Int32Array | Float64Array;

/** What a fitted model produced on a test fold. */
export interface ModelOutput {
  /** Predictions (class indices or values). */
  readonly pred: Int32Array | Float64Array;
  /** Class probabilities (classifiers only). */
  readonly proba?: ProbaMatrix;
}

/** Scores a fold: higher or lower is better depending on the metric. */
export type Scorer = (yTrue: Target, output: ModelOutput) => number;

/** Scores of one fold. */
export interface FoldResult {
  /** Fold number from 0. */
  readonly fold: number;
  /** Training rows. */
  readonly trainSize: number;
  /** Test rows. */
  readonly testSize: number;
  /** Wall-clock fit time in seconds. */
  readonly fitSeconds: number;
  /** Metric values by name. */
  readonly scores: Readonly<Record<string, number>>;
}

/** Result of {@link crossValidate}. */
export interface CrossValidateResult {
  /** Per-fold results. */
  readonly folds: FoldResult[];
  /** Mean of each metric over folds. */
  readonly mean: Readonly<Record<string, number>>;
  /** Standard deviation (population) of each metric over folds. */
  readonly std: Readonly<Record<string, number>>;
}

/**
 * Fits a fresh estimator per fold (from `factory`) and scores it on the held-out rows
 * (scikit-learn's cross_validate). Pipelines receive tables; other estimators a Matrix.
 * @example
 * const { X, y } = blobs(0, 90, 4, 3);
 * const cv = crossValidate(() => new LogisticRegression(), X, y, new StratifiedKFold({ nSplits: 3 }), classificationScorers());
 * cv.folds.length; // 3
 */
export function crossValidate(
  factory: () => AnyEstimator,
  X: Table | Matrix,
  y: Target,
  splitter: Splitter,
  scorers: Readonly<Record<string, Scorer>>,
  options: { groups?: ArrayLike<number | string>; onFold?: (result: FoldResult) => void } = {},
): CrossValidateResult {
  const nRows = isTable(X) ? X.rowCount : X.nRows;
  if (y.length !== nRows) throw invalidParam(`crossValidate: X has ${nRows} rows but y has ${y.length}`);
  const folds = splitter.split({ nRows, y, ...(options.groups ? { groups: options.groups } : {}) });
  const results = folds.map((fold, i) => {
    const result = runFold(factory(), X, y, fold, i, scorers);
    options.onFold?.(result);
    return result;
  });
  const mean: Record<string, number> = {};
  const std: Record<string, number> = {};
  for (const name of Object.keys(scorers)) {
    const v = results.map((r) => r.scores[name]!);
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    mean[name] = m;
    std[name] = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
  }
  return { folds: results, mean, std };
}

function runFold(
  est: AnyEstimator,
  X: Table | Matrix,
  y: Target,
  fold: Fold,
  index: number,
  scorers: Readonly<Record<string, Scorer>>,
): FoldResult {
  const pass = (rows: Int32Array) => {
    if (!isTable(X)) return takeMatrixRows(X, rows);
    const t = takeTableRows(X, rows);
    return est.typeName === "Pipeline" ? t : tableToMatrix(t);
  };
  const yTrain = pick(y, fold.train);
  const yTest = pick(y, fold.test);
  const model = est as unknown as {
    fit(x: unknown, y: Target): unknown;
    predict(x: unknown): Int32Array | Float64Array;
    predictProba?(x: unknown): ProbaMatrix;
  };
  const t0 = performance.now();
  model.fit(pass(fold.train), yTrain);
  const fitSeconds = (performance.now() - t0) / 1000;
  const xTest = pass(fold.test);
  const output: ModelOutput =
    est.tags.kind === "classifier" && model.predictProba
      ? { pred: model.predict(xTest), proba: model.predictProba(xTest) }
      : { pred: model.predict(xTest) };
  const scores: Record<string, number> = {};
  for (const [name, scorer] of Object.entries(scorers)) scores[name] = scorer(yTest, output);
  return { fold: index, trainSize: fold.train.length, testSize: fold.test.length, fitSeconds, scores };
}

function isTable(x: Table | Matrix): x is Table {
  return "rowCount" in x;
}

function pick<T extends Target>(a: T, rows: Int32Array): T {
  const out = new (a.constructor as new (n: number) => T)(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = a[rows[i]!]!;
  return out;
}

/** The usual classification metrics: accuracy, balanced accuracy, macro F1, log loss, ROC-AUC. */
export function classificationScorers(): Record<string, Scorer> {
  const k = (o: ModelOutput) => o.proba?.nClasses ?? 2;
  const proba = (o: ModelOutput) => {
    if (!o.proba) throw invalidParam("This metric needs predicted probabilities");
    return o.proba;
  };
  return {
    accuracy: (y, o) => accuracy(y, o.pred),
    balanced_accuracy: (y, o) => balancedAccuracy(y, o.pred, k(o)),
    f1_macro: (y, o) => precisionRecallF1(y, o.pred, k(o), "macro").f1,
    log_loss: (y, o) => logLoss(y, proba(o)),
    roc_auc: (y, o) => rocAuc(y, proba(o)),
  };
}

/** The usual regression metrics: RMSE, MAE, R². */
export function regressionScorers(): Record<string, Scorer> {
  return { rmse: (y, o) => rmse(y, o.pred), mae: (y, o) => mae(y, o.pred), r2: (y, o) => r2(y, o.pred) };
}
