/**
 * The metric set every train, baseline and evaluate run reports, so runs compare key by key.
 * Built on learn/metrics; this module only chooses which metrics and names them.
 */
import type { ProbaMatrix } from "../core/proba-matrix.js";
import {
  accuracy,
  balancedAccuracy,
  brierScore,
  logLoss,
  mae,
  precisionRecallF1,
  r2,
  rankingScores,
  rmse,
} from "../metrics/index.js";
import type { Task } from "./task.js";

/** Metric name → value (non-finite values are left out: the store and JSON cannot hold them well). */
export type Scores = Record<string, number>;

/** Metrics where lower is better; every other metric is higher-is-better. */
export const LOWER_IS_BETTER: ReadonlySet<string> = new Set(["log_loss", "brier", "rmse", "mae", "ece"]);

/**
 * Classification metrics: accuracy, balanced accuracy, macro precision/recall/F1, and from the
 * probabilities log loss, ROC-AUC (one-vs-rest macro for multiclass), PR-AUC and Brier.
 */
export function classificationScores(
  yTrue: Int32Array,
  yPred: Int32Array,
  nClasses: number,
  proba?: ProbaMatrix,
): Scores {
  const prf = precisionRecallF1(yTrue, yPred, nClasses, "macro");
  const scores: Scores = {
    accuracy: accuracy(yTrue, yPred),
    balanced_accuracy: balancedAccuracy(yTrue, yPred, nClasses),
    f1_macro: prf.f1,
    precision_macro: prf.precision,
    recall_macro: prf.recall,
  };
  if (proba) {
    scores.log_loss = logLoss(yTrue, proba);
    scores.brier = brierScore(yTrue, proba);
    // AUCs need both classes present; with one class they are undefined and left out.
    if (yTrue.some((c) => c !== yTrue[0])) {
      const ranking = rankingScores(yTrue, proba);
      scores.roc_auc = ranking.rocAuc;
      scores.pr_auc = ranking.averagePrecision;
    }
  }
  return finiteOnly(scores);
}

/** Regression metrics: RMSE, MAE, R². */
export function regressionScores(yTrue: Float64Array, yPred: ArrayLike<number>): Scores {
  return finiteOnly({ rmse: rmse(yTrue, yPred), mae: mae(yTrue, yPred), r2: r2(yTrue, yPred) });
}

/** The metric that headlines a task (used to pick the best single-feature rule, and in summaries). */
export function primaryMetric(task: Task): string {
  return task === "regression" ? "rmse" : task === "binary" ? "roc_auc" : "accuracy";
}

/**
 * Improvement of `model` over `baseline` for metric `name` (by its bare name, prefixes such as
 * `test_` stripped): positive is better whichever direction the metric runs.
 */
export function lift(name: string, model: number, baseline: number): number {
  const bare = name.replace(/^(test_|cv_)/, "").replace(/_(mean|std)$/, "");
  return LOWER_IS_BETTER.has(bare) ? baseline - model : model - baseline;
}

/** `{ accuracy: 1 }` → `{ test_accuracy: 1 }`. */
export function prefixed(prefix: string, scores: Scores): Scores {
  return Object.fromEntries(Object.entries(scores).map(([k, v]) => [`${prefix}${k}`, v]));
}

/** Mean and (population) standard deviation of each metric over folds, as `cv_<m>_mean` / `cv_<m>_std`. */
export function foldSummary(folds: readonly Scores[]): Scores {
  const out: Scores = {};
  const keys = new Set(folds.flatMap((f) => Object.keys(f)));
  for (const key of keys) {
    const values = folds.map((f) => f[key]).filter((v): v is number => v !== undefined);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
    out[`cv_${key}_mean`] = mean;
    out[`cv_${key}_std`] = Math.sqrt(variance);
  }
  return out;
}

function finiteOnly(scores: Scores): Scores {
  return Object.fromEntries(Object.entries(scores).filter(([, v]) => Number.isFinite(v)));
}
