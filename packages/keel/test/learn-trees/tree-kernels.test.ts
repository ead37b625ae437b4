import { describe, expect, it } from "vitest";
import { matrixFromColumns } from "../../src/learn/core/matrix.js";
import { Rng } from "../../src/learn/core/random.js";
import { DecisionTreeClassifier, DecisionTreeRegressor } from "../../src/learn/tree/index.js";
import type { TreeArrays } from "../../src/learn/tree/tree-arrays.js";
import { addTreesOutputs, float32Rows, leafIndex } from "../../src/learn/tree/tree-predict.js";

// The plain walk, row by row (leafIndex is the column-major definition of the leaf).
function reference(
  trees: TreeArrays[],
  columns: readonly Float64Array[],
  n: number,
  stride: number,
  offset: (t: number) => number,
  scale: number,
): Float64Array {
  const out = new Float64Array(n * stride).fill(0.25);
  trees.forEach((tree, t) => {
    for (let i = 0; i < n; i++) {
      const leaf = leafIndex(tree, columns, i);
      for (let c = 0; c < tree.nOutputs; c++) {
        out[i * stride + offset(t) + c]! += scale * tree.value[leaf * tree.nOutputs + c]!;
      }
    }
  });
  return out;
}

function data(n: number, seed: number) {
  const rng = new Rng(seed);
  const cols = Array.from({ length: 4 }, () => new Float64Array(n));
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (const c of cols) c[i] = rng.next() * 10 - 5;
    if (i % 7 === 0) cols[1]![i] = Number.NaN;
    y[i] = (cols[0]![i]! > 0 ? 1 : 0) + (Number.isNaN(cols[1]![i]!) || cols[1]![i]! > 2 ? 1 : 0);
  }
  return { X: matrixFromColumns(cols, ["a", "b", "c", "d"]), y };
}

describe("WebAssembly tree prediction", () => {
  it("adds the same leaf values as the plain walk: NaN routing, several outputs, offsets and scale", () => {
    const { X, y } = data(3_001, 1); // not a multiple of 4: the single-row tail runs too
    // NaN goes left at every other node (CART itself may never choose that), so both routes run.
    const trees = [1, 2, 3].map((seed) => {
      const tree = new DecisionTreeClassifier({ maxDepth: 7, seed, maxFeatures: "sqrt" })
        .fit(X, y)
        .assertFitted().tree;
      return { ...tree, missingLeft: Uint8Array.from(tree.missingLeft, (_, i) => i % 2) };
    });
    const stride = 5;
    const offset = (t: number) => t % 2;
    const out = new Float64Array(X.nRows * stride).fill(0.25);
    addTreesOutputs(trees, float32Rows(X.columns, X.nRows), out, { stride, offset, scale: 0.5 });
    expect(out).toEqual(reference(trees, X.columns, X.nRows, stride, offset, 0.5));
  });

  it("predicts in chunks when the rows exceed one chunk, and handles no rows and tiny inputs", () => {
    const n = 2_900_000; // one feature, one output: more than the 32 MiB chunk of rows
    const rng = new Rng(4);
    const x = Float64Array.from({ length: n }, () => rng.next());
    const yr = Float64Array.from(x, (v) => (v > 0.5 ? 2 : v));
    const X = matrixFromColumns([x], ["x"]);
    const tree = new DecisionTreeRegressor({ maxDepth: 4 }).fit(X, yr).assertFitted().tree;
    const out = new Float64Array(n).fill(0.25);
    addTreesOutputs([tree], float32Rows(X.columns, n), out, { stride: 1, offset: () => 0, scale: 1 });
    for (const i of [0, 1, 12_345, n >> 1, n - 2, n - 1]) {
      expect(out[i]).toBe(0.25 + tree.value[leafIndex(tree, X.columns, i)]!);
    }
    const empty = new Float64Array(0);
    addTreesOutputs([tree], float32Rows(X.columns, 0), empty, { stride: 1, offset: () => 0, scale: 1 });
    const three = new Float64Array(3);
    addTreesOutputs([tree], float32Rows(X.columns, 3), three, { stride: 1, offset: () => 0, scale: 1 });
    expect(Array.from(three)).toEqual([0, 1, 2].map((i) => tree.value[leafIndex(tree, X.columns, i)]!));
  });
});
