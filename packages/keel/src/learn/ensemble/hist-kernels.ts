/**
 * Histogram layout and the one JavaScript inner loop of histogram gradient boosting (leaf
 * application); histograms, binary gradients and row partitions are the WebAssembly kernels'
 * work (wasm/boost-kernels.ts).
 */
import { SLOT_BYTES } from "./wasm/boost-kernels.js";

/**
 * Histogram doubles per bin: gradient sum, hessian sum, row count and one of padding (the
 * kernels' 32-byte slot).
 */
export const SLOT = SLOT_BYTES / Float64Array.BYTES_PER_ELEMENT;

/** `raw[r * K + c] += value` for every row `r` of `rows[start..end)`. */
export function addToRows(
  raw: Float64Array,
  rows: Int32Array,
  start: number,
  end: number,
  K: number,
  c: number,
  value: number,
): void {
  for (let k = start; k < end; k++) raw[rows[k]! * K + c]! += value;
}
