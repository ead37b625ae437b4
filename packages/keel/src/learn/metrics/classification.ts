/**
 * Classification metrics over encoded labels (class indices 0..k-1), scikit-learn's definitions.
 * Labels come as typed arrays so large evaluations never build JS objects per row.
 */

import { invalidParam } from "../../errors.js";

/** Integer label arrays accepted by the metrics. */
export type Labels = ArrayLike<number>;

function checkSameLength(yTrue: Labels, yPred: Labels): void {
  if (yTrue.length !== yPred.length) {
    throw invalidParam(`y_true has ${yTrue.length} labels but y_pred has ${yPred.length}`);
  }
  if (yTrue.length === 0) throw invalidParam("cannot score an empty set of labels");
}

/** k x k counts: rows = true class, columns = predicted class (sklearn's orientation). */
export function confusionMatrix(yTrue: Labels, yPred: Labels, nClasses: number): number[][] {
  checkSameLength(yTrue, yPred);
  const m = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i]!;
    const p = yPred[i]!;
    if (!(t >= 0 && t < nClasses && p >= 0 && p < nClasses)) {
      throw invalidParam(`label out of range at row ${i}: true=${t}, pred=${p}, classes=${nClasses}`);
    }
    m[t]![p]!++;
  }
  return m;
}

/** Fraction of exact matches. */
export function accuracy(yTrue: Labels, yPred: Labels): number {
  checkSameLength(yTrue, yPred);
  let hit = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hit++;
  return hit / yTrue.length;
}

/** Per-class precision, recall, F1 and support from a confusion matrix (0 where undefined, as sklearn's zero_division=0). */
export function perClassScores(cm: number[][]): {
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
} {
  const k = cm.length;
  const precision: number[] = [];
  const recall: number[] = [];
  const f1: number[] = [];
  const support: number[] = [];
  for (let c = 0; c < k; c++) {
    const tp = cm[c]![c]!;
    let predicted = 0;
    let actual = 0;
    for (let j = 0; j < k; j++) {
      predicted += cm[j]![c]!;
      actual += cm[c]![j]!;
    }
    const p = predicted === 0 ? 0 : tp / predicted;
    const r = actual === 0 ? 0 : tp / actual;
    precision.push(p);
    recall.push(r);
    f1.push(p + r === 0 ? 0 : (2 * p * r) / (p + r));
    support.push(actual);
  }
  return { precision, recall, f1, support };
}

/**
 * Macro-averaged F1 over the classes present in y_true or y_pred (sklearn's default label set).
 */
export function macroF1(yTrue: Labels, yPred: Labels, nClasses: number): number {
  const cm = confusionMatrix(yTrue, yPred, nClasses);
  const { f1 } = perClassScores(cm);
  const present = f1.filter((_, c) => cm[c]!.some((v) => v > 0) || cm.some((row) => row[c]! > 0));
  return present.reduce((a, b) => a + b, 0) / present.length;
}

/** Mean of per-class recall over classes present in y_true (sklearn's balanced_accuracy_score). */
export function balancedAccuracy(yTrue: Labels, yPred: Labels, nClasses: number): number {
  const cm = confusionMatrix(yTrue, yPred, nClasses);
  const { recall, support } = perClassScores(cm);
  const present = recall.filter((_, c) => support[c]! > 0);
  return present.reduce((a, b) => a + b, 0) / present.length;
}

/** How per-class scores are combined (scikit-learn's `average`). */
export type Average = "binary" | "macro" | "micro" | "weighted";

/** Precision, recall and F1 under one averaging. */
export interface PrecisionRecallF1 {
  /** Precision. */
  readonly precision: number;
  /** Recall. */
  readonly recall: number;
  /** F1 score. */
  readonly f1: number;
}

/**
 * Precision, recall and F1 like sklearn's precision_recall_fscore_support: "binary" scores
 * `posLabel` only; "macro" averages over the labels present in y_true or y_pred; "weighted"
 * weights them by support; "micro" pools the counts. Undefined ratios count as 0 (zero_division=0).
 */
export function precisionRecallF1(
  yTrue: Labels,
  yPred: Labels,
  nClasses: number,
  average: Average = "macro",
  posLabel = 1,
): PrecisionRecallF1 {
  const cm = confusionMatrix(yTrue, yPred, nClasses);
  const scores = perClassScores(cm);
  if (average === "binary") {
    return {
      precision: scores.precision[posLabel]!,
      recall: scores.recall[posLabel]!,
      f1: scores.f1[posLabel]!,
    };
  }
  const present = cm.map((row, c) => row.some((v) => v > 0) || cm.some((r) => r[c]! > 0));
  const labels = present.flatMap((p, c) => (p ? [c] : []));
  if (average === "micro") {
    let tp = 0;
    let predicted = 0;
    let actual = 0;
    for (const c of labels) {
      tp += cm[c]![c]!;
      for (let j = 0; j < nClasses; j++) {
        predicted += cm[j]![c]!;
        actual += cm[c]![j]!;
      }
    }
    const p = predicted === 0 ? 0 : tp / predicted;
    const r = actual === 0 ? 0 : tp / actual;
    return { precision: p, recall: r, f1: p + r === 0 ? 0 : (2 * p * r) / (p + r) };
  }
  const weights = labels.map((c) => (average === "weighted" ? scores.support[c]! : 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const mean = (v: number[]) =>
    total === 0 ? 0 : labels.reduce((s, c, i) => s + v[c]! * weights[i]!, 0) / total;
  return { precision: mean(scores.precision), recall: mean(scores.recall), f1: mean(scores.f1) };
}
