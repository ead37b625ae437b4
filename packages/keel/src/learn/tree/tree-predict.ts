import type { TreeArrays } from "./tree-arrays.js";
import { addTreesOutputs, type Float32Rows } from "./wasm/tree-kernels.js";

export { addTreesOutputs, type Float32Rows };

/**
 * The leaf reached by row `i` of the column-major features `columns`, comparing
 * `Math.fround(x) < threshold` like ONNX Runtime does on float32 inputs.
 */
export function leafIndex(tree: TreeArrays, columns: readonly Float64Array[], i: number): number {
  const { feature, threshold, left, right, missingLeft } = tree;
  let node = 0;
  let f = feature[0]!;
  while (f >= 0) {
    const x = columns[f]![i]!;
    if (Number.isNaN(x)) node = missingLeft[node] === 1 ? left[node]! : right[node]!;
    else node = Math.fround(x) < threshold[node]! ? left[node]! : right[node]!;
    f = feature[node]!;
  }
  return node;
}

/** The rows of the column-major `columns` (`nRows` each) as {@link Float32Rows}. */
export function float32Rows(columns: readonly Float64Array[], nRows: number): Float32Rows {
  const p = columns.length;
  const x = new Float32Array(nRows * p);
  for (let j = 0; j < p; j++) {
    const col = columns[j]!;
    for (let i = 0, at = j; i < nRows; i++, at += p) x[at] = col[i]!;
  }
  return { x, p, nRows };
}

/**
 * Adds `scale * value(leaf)` of `tree` to `out` (row-major, `stride` values per row, written
 * from `offset`) for every row; see {@link addTreesOutputs} for many trees at once.
 */
export function addTreeOutputs(
  tree: TreeArrays,
  rows: Float32Rows,
  out: Float64Array,
  stride: number,
  offset = 0,
  scale = 1,
): void {
  addTreesOutputs([tree], rows, out, { stride, offset: () => offset, scale });
}
