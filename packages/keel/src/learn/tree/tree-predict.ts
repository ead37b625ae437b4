import type { TreeArrays } from "./tree-arrays.js";

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

/** Leaf id per row for rows `0..nRows-1` of `columns`. */
export function applyTree(tree: TreeArrays, columns: readonly Float64Array[], nRows: number): Int32Array {
  const out = new Int32Array(nRows);
  for (let i = 0; i < nRows; i++) out[i] = leafIndex(tree, columns, i);
  return out;
}

/**
 * Adds `scale * value(leaf)` of `tree` to `out` (row-major, `stride` values per row, written
 * from `offset`) for every row: the shared inner loop of tree, forest and boosting predictions.
 */
export function addTreeOutputs(
  tree: TreeArrays,
  columns: readonly Float64Array[],
  nRows: number,
  out: Float64Array,
  stride: number,
  offset = 0,
  scale = 1,
): void {
  const k = tree.nOutputs;
  const value = tree.value;
  for (let i = 0; i < nRows; i++) {
    const leaf = leafIndex(tree, columns, i) * k;
    const o = i * stride + offset;
    for (let c = 0; c < k; c++) out[o + c]! += scale * value[leaf + c]!;
  }
}
