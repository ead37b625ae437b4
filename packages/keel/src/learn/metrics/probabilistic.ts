/**
 * Metrics over scores and probabilities (scikit-learn 1.2 definitions): ROC-AUC, average
 * precision (PR-AUC), log loss and the Brier score.
 */
import { invalidParam } from "../../errors.js";
import type { ProbaMatrix } from "../core/proba-matrix.js";
import { sortFloat64 } from "../core/sort-float64.js";
import type { Labels } from "./classification.js";

/** float64 machine epsilon: sklearn 1.2's log-loss clipping for float64 probabilities. */
export const LOG_LOSS_EPS = 2.220446049250313e-16;

/**
 * Binary ROC-AUC from scores of the positive class (label 1): the Mann-Whitney statistic with
 * tied scores counted half, which equals the trapezoidal area of sklearn's ROC curve.
 */
export function rocAucBinary(yTrue: Labels, score: ArrayLike<number>): number {
  return rocAucOfSorted(scoresByClass(yTrue, score));
}

function rocAucOfSorted({ pos, neg }: ClassScores): number {
  if (pos.length === 0 || neg.length === 0) {
    throw invalidParam(
      "ROC-AUC is undefined when y_true has a single class: the test set needs both classes",
    );
  }
  // Sum of the positives' average ranks, walking both sorted lists one distinct score at a time.
  let rankSum = 0;
  let done = 0;
  let i = 0;
  let j = 0;
  while (i < pos.length || j < neg.length) {
    const v = j >= neg.length || (i < pos.length && pos[i]! < neg[j]!) ? pos[i]! : neg[j]!;
    const p0 = i;
    while (i < pos.length && pos[i] === v) i++;
    const n0 = j;
    while (j < neg.length && neg[j] === v) j++;
    const tied = i - p0 + (j - n0);
    rankSum += (i - p0) * (done + (tied + 1) / 2);
    done += tied;
  }
  const nPos = pos.length;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * neg.length);
}

/** Average precision from scores of the positive class: Σ (R_n − R_{n−1}) P_n over distinct thresholds. */
export function averagePrecisionBinary(yTrue: Labels, score: ArrayLike<number>): number {
  return averagePrecisionOfSorted(scoresByClass(yTrue, score));
}

function averagePrecisionOfSorted({ pos, neg }: ClassScores): number {
  const nPos = pos.length;
  if (nPos === 0) throw invalidParam("Average precision is undefined without positive labels in y_true");
  // Thresholds from the highest score down: both sorted lists walked from their ends.
  let i = pos.length - 1;
  let j = neg.length - 1;
  let tp = 0;
  let fp = 0;
  let prevRecall = 0;
  let ap = 0;
  while (i >= 0 || j >= 0) {
    const v = j < 0 || (i >= 0 && pos[i]! > neg[j]!) ? pos[i]! : neg[j]!;
    for (; i >= 0 && pos[i] === v; i--) tp++;
    for (; j >= 0 && neg[j] === v; j--) fp++;
    const recall = tp / nPos;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
  }
  return ap;
}

/**
 * ROC-AUC for a probability matrix: binary (column 1) for two classes, else one-vs-rest macro
 * average. Unlike sklearn (which refuses), classes absent from y_true are left out of the average.
 */
export function rocAuc(yTrue: Labels, proba: ProbaMatrix): number {
  return oneVsRest(yTrue, proba, [rocAucOfSorted])[0]!;
}

/** Average precision (PR-AUC) for a probability matrix: binary, or one-vs-rest macro average. */
export function averagePrecision(yTrue: Labels, proba: ProbaMatrix): number {
  return oneVsRest(yTrue, proba, [averagePrecisionOfSorted])[0]!;
}

/** {@link rocAuc} and {@link averagePrecision} together, sorting each class's scores once. */
export function rankingScores(
  yTrue: Labels,
  proba: ProbaMatrix,
): { rocAuc: number; averagePrecision: number } {
  const [auc, ap] = oneVsRest(yTrue, proba, [rocAucOfSorted, averagePrecisionOfSorted]);
  return { rocAuc: auc!, averagePrecision: ap! };
}

/** Mean negative log-likelihood, probabilities clipped to [eps, 1-eps] and renormalized (sklearn 1.2). */
export function logLoss(yTrue: Labels, proba: ProbaMatrix, eps = LOG_LOSS_EPS): number {
  checkProba(yTrue, proba);
  const k = proba.nClasses;
  let total = 0;
  for (let i = 0; i < proba.nRows; i++) {
    let sum = 0;
    for (let c = 0; c < k; c++) sum += clip(proba.data[i * k + c]!, eps);
    total -= Math.log(clip(proba.data[i * k + yTrue[i]!]!, eps) / sum);
  }
  return total / proba.nRows;
}

/**
 * Brier score: binary = mean (p1 − y)² (sklearn's brier_score_loss); multiclass = mean over
 * rows of Σ_k (p_k − [y = k])² (Brier's original definition; sklearn 1.2 has no multiclass form).
 */
export function brierScore(yTrue: Labels, proba: ProbaMatrix): number {
  checkProba(yTrue, proba);
  const k = proba.nClasses;
  let total = 0;
  for (let i = 0; i < proba.nRows; i++) {
    if (k === 2) total += (proba.data[i * 2 + 1]! - (yTrue[i] === 1 ? 1 : 0)) ** 2;
    else for (let c = 0; c < k; c++) total += (proba.data[i * k + c]! - (yTrue[i] === c ? 1 : 0)) ** 2;
  }
  return total / proba.nRows;
}

// Each metric of `metrics` on class 1's scores (two classes), else its one-vs-rest macro average.
function oneVsRest(
  yTrue: Labels,
  proba: ProbaMatrix,
  metrics: readonly ((sorted: ClassScores) => number)[],
): number[] {
  checkProba(yTrue, proba);
  const k = proba.nClasses;
  const n = proba.nRows;
  const column = (c: number) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = proba.data[i * k + c]!;
    return out;
  };
  if (k === 2) {
    const sorted = scoresByClass(yTrue, column(1));
    return metrics.map((m) => m(sorted));
  }
  const sums = metrics.map(() => 0);
  let used = 0;
  const yc = new Int32Array(n);
  for (let c = 0; c < k; c++) {
    let pos = 0;
    for (let i = 0; i < n; i++) pos += yc[i] = yTrue[i] === c ? 1 : 0;
    if (pos === 0 || pos === n) continue;
    const sorted = scoresByClass(yc, column(c));
    metrics.forEach((m, j) => {
      sums[j]! += m(sorted);
    });
    used++;
  }
  if (used === 0) throw invalidParam("Score is undefined: y_true holds a single class");
  return sums.map((s) => s / used);
}

function clip(p: number, eps: number): number {
  return Math.min(Math.max(p, eps), 1 - eps);
}

function checkScores(yTrue: Labels, score: ArrayLike<number>): number {
  if (yTrue.length !== score.length)
    throw invalidParam(`y_true has ${yTrue.length} labels but ${score.length} scores`);
  if (yTrue.length === 0) throw invalidParam("cannot score an empty set of labels");
  return yTrue.length;
}

function checkProba(yTrue: Labels, proba: ProbaMatrix): void {
  checkScores(yTrue, { length: proba.nRows });
  for (let i = 0; i < yTrue.length; i++) {
    const y = yTrue[i]!;
    if (!(y >= 0 && y < proba.nClasses)) {
      throw invalidParam(`label ${y} at row ${i} is outside the ${proba.nClasses} probability columns`);
    }
  }
}

/** Scores of the positives and of the others, each sorted ascending. */
interface ClassScores {
  readonly pos: Float64Array;
  readonly neg: Float64Array;
}

/**
 * The scores of the positives (label 1) and of the others, each sorted ascending: ranking
 * metrics only need how many of each class share a score, and two radix sorts of the scores are
 * many times faster than sorting indices with a comparator.
 */
function scoresByClass(yTrue: Labels, score: ArrayLike<number>): ClassScores {
  const n = checkScores(yTrue, score);
  let nPos = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === 1) nPos++;
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(n - nPos);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (yTrue[i] === 1) pos[a++] = score[i]!;
    else neg[b++] = score[i]!;
  }
  return { pos: sortFloat64(pos), neg: sortFloat64(neg) };
}
