/**
 * The metric a search optimises: which names a task offers, and the sign flip that turns every
 * metric into a score to maximise (strategies only ever maximise).
 */
import { invalidParam } from "../../errors.js";
import { LOWER_IS_BETTER } from "../../learn/train/scores.js";
import { isClassification, type Task } from "../../learn/train/task.js";

/** Metrics `classificationScores` reports (learn/train/scores.ts). */
const CLASSIFICATION_METRICS = [
  "roc_auc",
  "accuracy",
  "balanced_accuracy",
  "f1_macro",
  "precision_macro",
  "recall_macro",
  "log_loss",
  "brier",
  "pr_auc",
] as const;
/** Metrics `regressionScores` reports. */
const REGRESSION_METRICS = ["rmse", "mae", "r2"] as const;

/** The metric names a search on `task` can optimise. */
export function metricsForTask(task: Task): readonly string[] {
  return isClassification(task) ? CLASSIFICATION_METRICS : REGRESSION_METRICS;
}

/** Throws a KeelError naming the valid metrics when `metric` does not fit `task`. */
export function checkMetric(metric: string, task: Task): void {
  const valid = metricsForTask(task);
  if (!valid.includes(metric)) {
    throw invalidParam(`--metric '${metric}' is not a ${task} metric; use one of ${valid.join(", ")}`);
  }
}

/** The score a strategy maximises for a metric value (loss metrics negated). */
export function scoreOf(metric: string, value: number): number {
  return LOWER_IS_BETTER.has(metric) ? -value : value;
}
