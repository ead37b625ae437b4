/**
 * Tables that go into run artifacts and CLI output: the confusion matrix (JSON and CSV) and the
 * calibration table (mean predicted probability against observed frequency, per bin).
 */
import type { ProbaMatrix } from "../core/proba-matrix.js";
import { confusionMatrix } from "../metrics/classification.js";

/** A confusion matrix with its labels: rows = true class, columns = predicted class. */
export interface ConfusionTable {
  /** Class labels, by index. */
  readonly labels: readonly string[];
  /** Counts, `matrix[true][predicted]`. */
  readonly matrix: number[][];
}

/** The confusion matrix of `yPred` against `yTrue`. */
export function confusionTable(
  yTrue: Int32Array,
  yPred: Int32Array,
  labels: readonly string[],
): ConfusionTable {
  return { labels, matrix: confusionMatrix(yTrue, yPred, labels.length) };
}

/** CSV: a header of predicted labels, then one row per true label. */
export function confusionCsv(table: ConfusionTable): string {
  const cell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [["true\\predicted", ...table.labels].map(cell).join(",")];
  table.matrix.forEach((row, i) => {
    lines.push([cell(table.labels[i]!), ...row.map(String)].join(","));
  });
  return `${lines.join("\n")}\n`;
}

/** One bin of a calibration table. */
export interface CalibrationBin {
  /** Lower edge of the predicted-probability bin. */
  readonly lower: number;
  /** Upper edge. */
  readonly upper: number;
  /** Rows whose predicted probability falls in the bin. */
  readonly count: number;
  /** Mean predicted probability of those rows (NaN when empty). */
  readonly meanPredicted: number;
  /** Observed frequency of the event among them (NaN when empty). */
  readonly observed: number;
}

/** Calibration table plus the expected calibration error. */
export interface Calibration {
  /** What the probability is of: the positive class (binary) or the predicted class (multiclass). */
  readonly of: string;
  /** Equal-width bins over [0, 1]. */
  readonly bins: CalibrationBin[];
  /** Σ count/n · |meanPredicted − observed| over non-empty bins. */
  readonly ece: number;
}

/**
 * Reliability table in `nBins` equal-width bins. Binary: probability of class 1 against how often
 * the row is class 1. Multiclass: the top-class probability (confidence) against how often the
 * predicted class is right, as in calibration-error papers.
 */
export function calibrationTable(
  yTrue: Int32Array,
  proba: ProbaMatrix,
  labels: readonly string[],
  nBins = 10,
): Calibration {
  const k = proba.nClasses;
  const sumP = new Float64Array(nBins);
  const hits = new Float64Array(nBins);
  const counts = new Float64Array(nBins);
  for (let i = 0; i < proba.nRows; i++) {
    let p: number;
    let hit: boolean;
    if (k === 2) {
      p = proba.data[i * 2 + 1]!;
      hit = yTrue[i] === 1;
    } else {
      let best = 0;
      for (let c = 1; c < k; c++) if (proba.data[i * k + c]! > proba.data[i * k + best]!) best = c;
      p = proba.data[i * k + best]!;
      hit = yTrue[i] === best;
    }
    const b = Math.min(nBins - 1, Math.max(0, Math.floor(p * nBins)));
    sumP[b]! += p;
    hits[b]! += hit ? 1 : 0;
    counts[b]!++;
  }
  let ece = 0;
  const bins: CalibrationBin[] = [];
  for (let b = 0; b < nBins; b++) {
    const n = counts[b]!;
    const meanPredicted = n > 0 ? sumP[b]! / n : Number.NaN;
    const observed = n > 0 ? hits[b]! / n : Number.NaN;
    if (n > 0) ece += (n / proba.nRows) * Math.abs(meanPredicted - observed);
    bins.push({ lower: b / nBins, upper: (b + 1) / nBins, count: n, meanPredicted, observed });
  }
  return { of: k === 2 ? `P(${labels[1] ?? "1"})` : "P(predicted class)", bins, ece };
}

/** CSV of a calibration table. */
export function calibrationCsv(cal: Calibration): string {
  const rows = cal.bins.map((b) =>
    [b.lower, b.upper, b.count, b.meanPredicted, b.observed]
      .map((v) => (Number.isNaN(v) ? "" : String(v)))
      .join(","),
  );
  return `lower,upper,count,mean_predicted,observed\n${rows.join("\n")}\n`;
}
