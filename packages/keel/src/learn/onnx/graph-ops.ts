/**
 * Small subgraphs several converters share: broadcasting constants to the batch, concatenating
 * columns, casting. Each returns the name of the tensor it produces.
 */
import { attr } from "./attribute.js";
import type { GraphBuilder } from "./graph-builder.js";
import { DATA_TYPE, type ElemType, floatTensor, int64Tensor } from "./tensor.js";

/** int64 [1] tensor holding the batch size N of `ref` (any tensor whose first dim is the batch). */
export function batchSize(g: GraphBuilder, ref: string): string {
  return g.node("Shape", [ref], { start: attr.int(0), end: attr.int(1) }, { outputs: ["batch_size"] })[0]!;
}

/**
 * A float [N, k] tensor repeating `row` (k values) for every row of `ref`. Built from `ref`'s shape
 * only, so NaN inputs cannot leak into constant predictions.
 */
export function repeatRow(
  g: GraphBuilder,
  ref: string,
  row: ArrayLike<number>,
  prefix = "constant_rows",
): string {
  const k = row.length;
  const value = g.constant(`${prefix}_value`, floatTensor([1, k], row));
  const width = g.constant(`${prefix}_width`, int64Tensor([1], [k]));
  const [shape] = g.node(
    "Concat",
    [batchSize(g, ref), width],
    { axis: attr.int(0) },
    { outputs: [`${prefix}_shape`] },
  );
  return g.node("Expand", [value, shape!], {}, { outputs: [prefix] })[0]!;
}

/** Concatenates [N, 1] (or [N, k]) tensors along axis 1; a single tensor is returned as is. */
export function concatColumns(g: GraphBuilder, tensors: readonly string[], prefix = "features"): string {
  if (tensors.length === 1) return tensors[0]!;
  return g.node("Concat", tensors, { axis: attr.int(1) }, { outputs: [prefix] })[0]!;
}

/** Casts `x` to `to`. */
export function cast(g: GraphBuilder, x: string, to: ElemType, prefix = "cast"): string {
  return g.node("Cast", [x], { to: attr.int(DATA_TYPE[to]) }, { outputs: [prefix] })[0]!;
}

/** int64 [N] index of the largest value per row (first on ties, like numpy's argmax). */
export function argmaxRows(g: GraphBuilder, scores: string, prefix = "argmax"): string {
  return g.node("ArgMax", [scores], { axis: attr.int(1), keepdims: attr.int(0) }, { outputs: [prefix] })[0]!;
}

/** Reshapes `x` to [N, k] (N inferred). */
export function reshapeRows(g: GraphBuilder, x: string, k: number, prefix = "reshaped"): string {
  const shape = g.constant(`${prefix}_shape`, int64Tensor([2], [-1, k]));
  return g.node("Reshape", [x, shape], {}, { outputs: [prefix] })[0]!;
}
