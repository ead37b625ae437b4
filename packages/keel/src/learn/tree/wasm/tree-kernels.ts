/**
 * Tree prediction in WebAssembly (tree-kernels.wat): the leaf values of trees, forests and
 * boosted ensembles added to row outputs, about twice as fast as the same walk in JavaScript
 * (the child is picked without a branch, and four rows descend side by side). Each call packs
 * the trees and a chunk of rows into one memory that the module keeps and grows as needed (rows
 * go in bounded chunks, so it holds at most the trees plus ~32 MiB).
 */
import type { TreeArrays } from "../tree-arrays.js";
import { WASM_BASE64 } from "./tree-kernels.wasm.js";

/** Features rounded to float32, row-major (`x[i * p + j]`): what tree traversal reads. */
export interface Float32Rows {
  /** `nRows * p` values; NaN stays NaN. */
  readonly x: Float32Array;
  /** Features per row. */
  readonly p: number;
  /** Rows. */
  readonly nRows: number;
}

/** How each tree's outputs are added: `out[i * stride + offset(t) + c] += scale * value`. */
export interface TreeOutputLayout {
  /** Outputs per row in `out`. */
  readonly stride: number;
  /** First output tree `t` writes to. */
  readonly offset: (t: number) => number;
  /** Factor on every leaf value (1 for boosting, 1 / trees for forests). */
  readonly scale: number;
}

type TreeOutputsKernel = (
  nodes: number,
  values: number,
  k: number,
  x: number,
  p: number,
  n: number,
  out: number,
  stride: number,
  scale: number,
) => void;

/** Bytes per node record: feature (bit 30: NaN goes left), threshold, left, right. */
const NODE_BYTES = 16;
/** Bytes of rows (features and outputs) per chunk: bounds the memory of one call. */
const CHUNK_BYTES = 32 * 2 ** 20;
const PAGE = 65_536;

let kernels: { memory: WebAssembly.Memory; treeOutputs: TreeOutputsKernel } | undefined;

// The module's memory with at least `bytes` bytes, and its kernel (predictions are synchronous,
// so one memory serves every call of this thread).
function kernelsWith(bytes: number): { buffer: ArrayBufferLike; treeOutputs: TreeOutputsKernel } {
  if (!kernels) {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 65_536 });
    const module = new WebAssembly.Module(Buffer.from(WASM_BASE64, "base64"));
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    kernels = { memory, treeOutputs: exports.tree_outputs as TreeOutputsKernel };
  }
  const have = kernels.memory.buffer.byteLength;
  if (have < bytes) kernels.memory.grow(Math.ceil((bytes - have) / PAGE));
  return { buffer: kernels.memory.buffer, treeOutputs: kernels.treeOutputs };
}

/**
 * Adds the outputs of every tree of `trees` for every row of `rows` to `out` (row-major, laid
 * out as `layout` says): the leaf each row reaches (the test of {@link TreeArrays}) and its
 * `nOutputs` values.
 */
export function addTreesOutputs(
  trees: readonly TreeArrays[],
  rows: Float32Rows,
  out: Float64Array,
  layout: TreeOutputLayout,
): void {
  if (trees.length === 0 || rows.nRows === 0) return;
  const { p, nRows } = rows;
  const { stride, scale } = layout;
  let treeBytes = 0;
  for (const t of trees) treeBytes += t.nodeCount * (NODE_BYTES + 8 * t.nOutputs);
  const rowBytes = 4 * Math.max(1, p) + 8 * stride;
  const chunk = Math.max(1, Math.min(nRows, Math.floor(CHUNK_BYTES / rowBytes)));
  const { buffer, treeOutputs: kernel } = kernelsWith(treeBytes + chunk * rowBytes + 64);
  // Trees first, then one chunk of rows (x, then out) reused for every chunk.
  const packed = packTrees(trees, buffer);
  const xAt = treeBytes;
  const outAt = xAt + Math.ceil((4 * p * chunk) / 8) * 8;
  for (let from = 0; from < nRows; from += chunk) {
    const n = Math.min(chunk, nRows - from);
    new Float32Array(buffer, xAt, n * p).set(rows.x.subarray(from * p, (from + n) * p));
    const o = new Float64Array(buffer, outAt, n * stride);
    o.set(out.subarray(from * stride, (from + n) * stride));
    trees.forEach((t, i) => {
      const [nodes, values] = packed[i]!;
      kernel(nodes, values, t.nOutputs, xAt, p, n, outAt + 8 * layout.offset(i), stride, scale);
    });
    out.set(o, from * stride);
  }
}

/** The feature word of a leaf record: only the sign bit (see tree-kernels.wat). */
const LEAF = -0x80000000;

// Writes each tree's node records and values into `buffer` from byte 0; returns their addresses.
function packTrees(trees: readonly TreeArrays[], buffer: ArrayBufferLike): [number, number][] {
  let at = 0;
  return trees.map((t) => {
    const nodes = at;
    const ints = new Int32Array(buffer, at, 4 * t.nodeCount);
    const floats = new Float32Array(buffer, at, 4 * t.nodeCount);
    for (let i = 0; i < t.nodeCount; i++) {
      const f = t.feature[i]!;
      if (f < 0) {
        // A leaf: sign bit set (done), feature 0 (a safe read), both children itself, so a row
        // already at its leaf can take further steps while the others of its group descend.
        ints[4 * i] = LEAF;
        floats[4 * i + 1] = Number.POSITIVE_INFINITY;
        ints[4 * i + 2] = i;
        ints[4 * i + 3] = i;
        continue;
      }
      ints[4 * i] = f | (t.missingLeft[i]! << 30);
      floats[4 * i + 1] = t.threshold[i]!;
      ints[4 * i + 2] = t.left[i]!;
      ints[4 * i + 3] = t.right[i]!;
    }
    at += NODE_BYTES * t.nodeCount;
    const values = at;
    new Float64Array(buffer, at, t.nodeCount * t.nOutputs).set(t.value.subarray(0, t.nodeCount * t.nOutputs));
    at += 8 * t.nodeCount * t.nOutputs;
    return [nodes, values];
  });
}
