/**
 * The best single-feature rule, the strongest "dumb" baseline: a depth-1 tree (one threshold)
 * on a numeric column, or the majority class (mean value) per category of a categorical one.
 * Every feature is tried on the training rows and the best by the task's primary metric wins.
 */
import { getColumn, type Table, type TypedColumn } from "../core/table.js";
import type { ColumnRoles } from "../transform/column-roles.js";
import { DecisionTreeClassifier, DecisionTreeRegressor } from "../tree/index.js";
import {
  classCount,
  type LabelledData,
  type Predictions,
  type Problem,
  scorePredictions,
} from "./fit-evaluate.js";
import { LOWER_IS_BETTER, primaryMetric, type Scores } from "./scores.js";
import { isClassification } from "./task.js";

/** A fitted one-feature rule. */
export interface OneFeatureRule {
  /** The column it reads. */
  readonly column: string;
  /** "threshold" (depth-1 tree) or "per-category". */
  readonly kind: "threshold" | "per-category";
  /** Its training scores. */
  readonly trainScores: Scores;
  /** Predictions for another table holding `column`. */
  predict(X: Table): Predictions;
}

/** Fits a rule on every feature and returns the best on the training rows (null when no feature qualifies). */
export function bestOneFeatureRule(
  train: LabelledData,
  problem: Problem,
  roles: ColumnRoles,
): OneFeatureRule | null {
  const metric = primaryMetric(problem.task);
  const lower = LOWER_IS_BETTER.has(metric);
  let best: OneFeatureRule | null = null;
  for (const info of roles.columns) {
    if (info.role === "ignore") continue;
    const col = getColumn(train.X, info.name);
    const rule =
      col.kind === "string" ? perCategoryRule(col, train.y, problem) : thresholdRule(col, train.y, problem);
    const score = rule.trainScores[metric] ?? rule.trainScores.accuracy;
    const bestScore = best ? (best.trainScores[metric] ?? best.trainScores.accuracy) : undefined;
    if (score === undefined) continue;
    if (bestScore === undefined || (lower ? score < bestScore : score > bestScore)) best = rule;
  }
  return best;
}

function thresholdRule(col: TypedColumn, y: Int32Array | Float64Array, problem: Problem): OneFeatureRule {
  const asMatrix = (c: TypedColumn) => ({
    nRows: c.values.length,
    nCols: 1,
    names: [col.name],
    columns: [c.values as Float64Array],
  });
  const classify = isClassification(problem.task);
  const tree = classify
    ? new DecisionTreeClassifier({ maxDepth: 1 }).fit(asMatrix(col), y as Int32Array, {
        nClasses: classCount(problem),
      })
    : new DecisionTreeRegressor({ maxDepth: 1 }).fit(asMatrix(col), y as Float64Array);
  const predict = (X: Table): Predictions => {
    const m = asMatrix(getColumn(X, col.name));
    if (tree instanceof DecisionTreeClassifier)
      return { label: tree.predict(m), proba: tree.predictProba(m) };
    return { value: (tree as DecisionTreeRegressor).predict(m) };
  };
  return finish(col.name, "threshold", predict, col, y, problem);
}

function perCategoryRule(col: TypedColumn, y: Int32Array | Float64Array, problem: Problem): OneFeatureRule {
  const values = col.values as (string | null)[];
  const k = classCount(problem);
  const classify = isClassification(problem.task);
  const width = classify ? k : 2; // regression keeps [sum, count]
  const stats = new Map<string | null, Float64Array>();
  const overall = new Float64Array(width);
  for (let i = 0; i < values.length; i++) {
    let s = stats.get(values[i]!);
    if (!s) {
      s = new Float64Array(width);
      stats.set(values[i]!, s);
    }
    for (const acc of [s, overall]) {
      if (classify) acc[y[i]!]!++;
      else {
        acc[0]! += y[i]!;
        acc[1]!++;
      }
    }
  }
  const predict = (X: Table): Predictions => {
    const xs = getColumn(X, col.name).values as (string | null)[];
    const n = xs.length;
    if (!classify) {
      const value = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const s = stats.get(xs[i] ?? null) ?? overall; // unseen category: the overall mean
        value[i] = s[0]! / s[1]!;
      }
      return { value };
    }
    const data = new Float64Array(n * k);
    const label = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const s = stats.get(xs[i] ?? null) ?? overall;
      let total = 0;
      for (let c = 0; c < k; c++) total += s[c]!;
      let best = 0;
      for (let c = 0; c < k; c++) {
        data[i * k + c] = s[c]! / total;
        if (s[c]! > s[best]!) best = c;
      }
      label[i] = best;
    }
    return { label, proba: { nRows: n, nClasses: k, data } };
  };
  return finish(col.name, "per-category", predict, col, y, problem);
}

function finish(
  column: string,
  kind: OneFeatureRule["kind"],
  predict: (X: Table) => Predictions,
  col: TypedColumn,
  y: Int32Array | Float64Array,
  problem: Problem,
): OneFeatureRule {
  const self: Table = { rowCount: col.values.length, columns: [col] };
  return { column, kind, predict, trainScores: scorePredictions(problem, y, predict(self)) };
}
