import type { Matrix } from "../core/matrix.js";
import { addTreesOutputs, float32Rows } from "../tree/tree-predict.js";
import type { BoostedEnsemble } from "./boost.js";

/** Baseline plus every tree's leaf value, row-major with `treesPerIteration` scores per row. */
export function rawScores(e: BoostedEnsemble, X: Matrix): Float64Array {
  const K = e.treesPerIteration;
  const out = new Float64Array(X.nRows * K);
  for (let i = 0; i < X.nRows; i++) out.set(e.baseline, i * K);
  const rows = float32Rows(X.columns, X.nRows);
  addTreesOutputs(e.trees, rows, out, { stride: K, offset: (t) => t % K, scale: 1 });
  return out;
}
