/** Regression metrics with scikit-learn's definitions. */
import { invalidParam } from "../../errors.js";

/** Numeric arrays accepted by the metrics. */
export type Values = ArrayLike<number>;

function check(yTrue: Values, yPred: Values): void {
  if (yTrue.length !== yPred.length) {
    throw invalidParam(`y_true has ${yTrue.length} values but y_pred has ${yPred.length}`);
  }
  if (yTrue.length === 0) throw invalidParam("cannot score an empty set of values");
}

/** Mean squared error. */
export function mse(yTrue: Values, yPred: Values): number {
  check(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += (yTrue[i]! - yPred[i]!) ** 2;
  return s / yTrue.length;
}

/** Root mean squared error. */
export function rmse(yTrue: Values, yPred: Values): number {
  return Math.sqrt(mse(yTrue, yPred));
}

/** Mean absolute error. */
export function mae(yTrue: Values, yPred: Values): number {
  check(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i]! - yPred[i]!);
  return s / yTrue.length;
}

/** Coefficient of determination; a constant y_true scores 1 if predicted exactly, else 0 (sklearn's force_finite). */
export function r2(yTrue: Values, yPred: Values): number {
  check(yTrue, yPred);
  let mean = 0;
  for (let i = 0; i < yTrue.length; i++) mean += yTrue[i]!;
  mean /= yTrue.length;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < yTrue.length; i++) {
    ssRes += (yTrue[i]! - yPred[i]!) ** 2;
    ssTot += (yTrue[i]! - mean) ** 2;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}

/** Mean absolute percentage error as a fraction (not ×100), denominators floored at float64 eps like sklearn. */
export function mape(yTrue: Values, yPred: Values): number {
  check(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) {
    s += Math.abs(yTrue[i]! - yPred[i]!) / Math.max(Math.abs(yTrue[i]!), Number.EPSILON);
  }
  return s / yTrue.length;
}
