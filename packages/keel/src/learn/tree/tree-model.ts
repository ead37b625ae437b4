import { invalidParam } from "../../errors.js";
import type { Matrix } from "../core/matrix.js";
import type { TreeArrays } from "./tree-arrays.js";

/** What every fitted tree-based model keeps besides its trees. */
export interface TreeModelInfo {
  /** Feature names seen at fit time (checked at predict time). */
  readonly featureNames: string[];
  /** Normalized impurity-based importance of each feature (sums to 1 unless no split was made). */
  readonly featureImportances: Float64Array;
}

/** Checks that `X` has the fit-time features, naming the first mismatch. */
export function checkPredictMatrix(X: Matrix, info: TreeModelInfo, who: string): void {
  if (X.nCols !== info.featureNames.length) {
    throw invalidParam(
      `${who} was fitted on ${info.featureNames.length} features (${info.featureNames.join(", ")}) but got ${X.nCols} (${X.names.join(", ")})`,
    );
  }
}

/** Sums per-tree importances and scales them to sum to 1. */
export function normalizeImportances(parts: readonly Float64Array[], nFeatures: number): Float64Array {
  const out = new Float64Array(nFeatures);
  for (const p of parts) {
    let total = 0;
    for (let j = 0; j < nFeatures; j++) total += p[j]!;
    // Each tree counts equally (scikit-learn normalizes per tree, then averages).
    if (total > 0) for (let j = 0; j < nFeatures; j++) out[j]! += p[j]! / total;
  }
  let sum = 0;
  for (let j = 0; j < nFeatures; j++) sum += out[j]!;
  if (sum > 0) for (let j = 0; j < nFeatures; j++) out[j]! /= sum;
  return out;
}

/** Number of nodes over `trees` (for logs and reports). */
export function totalNodes(trees: readonly TreeArrays[]): number {
  let n = 0;
  for (const t of trees) n += t.nodeCount;
  return n;
}
