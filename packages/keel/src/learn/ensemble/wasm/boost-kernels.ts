/**
 * The WebAssembly kernels of histogram gradient boosting (boost-kernels.wat): histogram building,
 * binary log-loss gradients, row partitioning and histogram sums and differences, run by every thread of a boosting run on one shared memory.
 * They are two to three times faster than the same loops in JavaScript: SIMD adds the
 * (gradient, hessian) pair of a row in one instruction, there are no bounds checks, and the
 * logistic's exponential is a short polynomial instead of a call to `Math.exp`.
 */
import { WASM_BASE64 } from "./boost-kernels.wasm.js";

/** Bytes per histogram slot: gradient sum, hessian sum, row count (f64 each) and padding. */
export const SLOT_BYTES = 32;

/**
 * The rows and the test of one split: rows `rows[start..end)` go left when the u8 bin `col[r]`
 * of the split feature is `<= cut`, or is `missing` and `missingLeft` is 1.
 */
type SplitTest = [
  col: number,
  rows: number,
  start: number,
  end: number,
  cut: number,
  missing: number,
  missingLeft: number,
];

/** The kernels bound to one shared memory. Pointers are byte addresses in that memory. */
export interface BoostKernels {
  /**
   * For every row `r` of `rows[start..end)` (i32) and feature `j < p`, adds the pair `gh[r]`
   * and a count of 1 to the slot of bin `bins[r * p + j]` (u8, row-major) of the histogram at
   * `hist + j * stride`.
   */
  histogram(
    bins: number,
    p: number,
    stride: number,
    rows: number,
    start: number,
    end: number,
    gh: number,
    hist: number,
  ): void;
  /**
   * Binary log loss with a logistic link: for every row `r` of `rows[start..end)`,
   * `p = 1 / (1 + e^-raw[r])` and the pair `gh[r] = (p - y[r], max(p (1 - p), 1e-16))`
   * (`raw`, `y`: one f64 per row).
   */
  binaryGradients(raw: number, y: number, rows: number, start: number, end: number, gh: number): void;
  /**
   * Stable partition of the rows by the split test (see {@link SplitTest}), left rows first,
   * using `scratch` (room for the range's rows). Returns the index of the first right row.
   */
  partition(...args: [...SplitTest, scratch: number]): number;
  /**
   * By the split test (see {@link SplitTest}), adds `lv` (left) or `rv` (right) to the f64 at
   * `raw + r * stride` for every row `r`.
   */
  addSplitValues(...args: [...SplitTest, raw: number, stride: number, lv: number, rv: number]): void;
  /** `dst += src` element-wise over `bytes / 8` doubles (`bytes` a multiple of 16). */
  addInto(dst: number, src: number, bytes: number): void;
  /** `dst -= src` element-wise over `bytes / 8` doubles (`bytes` a multiple of 16). */
  subtractFrom(dst: number, src: number, bytes: number): void;
  /** The kernels' exponential, for one value (what the gradients use instead of `Math.exp`). */
  exp(t: number): number;
  /** Sets `bytes` bytes from `dst` to zero. */
  zero(dst: number, bytes: number): void;
  /**
   * Sum over the rows `r` of `rows[start..end)` (i32) of the binary log loss
   * `log(1 + e^z) - y z`, `z = raw[r]` (`raw`, `y`: one f64 per row).
   */
  binaryLoss(raw: number, y: number, rows: number, start: number, end: number): number;
  /** The kernels' `log(1 + t)` for `t` in [0, 1], for one value (tests compare it with `Math.log1p`). */
  log1p01(t: number): number;
}

let compiled: WebAssembly.Module | undefined;

/** The kernels instantiated on `memory` (a shared memory of at most 65,536 pages). */
export function boostKernels(memory: WebAssembly.Memory): BoostKernels {
  compiled ??= new WebAssembly.Module(Buffer.from(WASM_BASE64, "base64"));
  const exports = new WebAssembly.Instance(compiled, { env: { memory } }).exports;
  return {
    histogram: exports.histogram as BoostKernels["histogram"],
    binaryGradients: exports.binary_gradients as BoostKernels["binaryGradients"],
    partition: exports.partition as BoostKernels["partition"],
    addSplitValues: exports.add_split_values as BoostKernels["addSplitValues"],
    addInto: exports.add_into as BoostKernels["addInto"],
    subtractFrom: exports.subtract_from as BoostKernels["subtractFrom"],
    zero: exports.zero as BoostKernels["zero"],
    binaryLoss: exports.binary_loss as BoostKernels["binaryLoss"],
    log1p01: exports.log1p01 as BoostKernels["log1p01"],
    exp: exports.exp as BoostKernels["exp"],
  };
}
