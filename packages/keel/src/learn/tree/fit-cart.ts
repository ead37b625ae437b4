import { invalidParam } from "../../errors.js";
import { checkXy, type Matrix } from "../core/matrix.js";
import type { CartCriterion, CartOptions, CartTarget } from "./cart-builder.js";
import { checkNoInfinity, resolveCount, resolveMaxFeatures, type TreeGrowthParams } from "./tree-params.js";

/** Resolves growth params against the training size into the builder's absolute options. */
export function cartOptions(
  params: TreeGrowthParams,
  criterion: CartCriterion,
  nRows: number,
  nFeatures: number,
): CartOptions {
  return {
    criterion,
    maxDepth: params.maxDepth ?? Number.POSITIVE_INFINITY,
    minSamplesSplit: resolveCount(params.minSamplesSplit, nRows, 2),
    minSamplesLeaf: resolveCount(params.minSamplesLeaf, nRows, 1),
    maxFeatures: resolveMaxFeatures(params.maxFeatures, nFeatures),
  };
}

/** Validates training input shared by every tree learner and returns the classification target. */
export function classificationTarget(
  X: Matrix,
  y: Int32Array,
  nClassesHint: number | undefined,
  who: string,
): CartTarget & { kind: "classification" } {
  checkXy(X, y, who);
  checkFeatures(X, who);
  let max = -1;
  let first = -1;
  let several = false;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!(v >= 0))
      throw invalidParam(`${who}: class index ${v} at row ${i} is invalid: class indices are 0..k-1`);
    if (v > max) max = v;
    if (first < 0) first = v;
    else if (v !== first) several = true;
  }
  if (!several) {
    throw invalidParam(
      `${who}: the target has a single class (${first}): a classifier needs at least two classes; check the target column or the row filter`,
    );
  }
  const nClasses = Math.max(max + 1, nClassesHint ?? 0);
  return { kind: "classification", y, nClasses };
}

/** Validates training input of a regressor and returns the regression target. */
export function regressionTarget(
  X: Matrix,
  y: Float64Array,
  who: string,
): CartTarget & { kind: "regression" } {
  checkXy(X, y, who);
  checkFeatures(X, who);
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i]!)) {
      throw invalidParam(
        `${who}: target value at row ${i} is ${y[i]}: regression targets must be finite numbers`,
      );
    }
  }
  return { kind: "regression", y };
}

function checkFeatures(X: Matrix, who: string): void {
  if (X.nCols === 0) throw invalidParam(`${who} got no feature columns: pass at least one feature`);
  checkNoInfinity(X, who);
}
