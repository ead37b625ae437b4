/**
 * Split thresholds that ONNX Runtime evaluates exactly as Keel does.
 *
 * ONNX Runtime feeds tree ensembles float32 inputs and float32 thresholds, so every Keel tree
 * stores float32 thresholds and decides `Math.fround(x) < t` (BRANCH_LT). Learners therefore
 * see feature values rounded to float32 while searching splits, and a split between two adjacent
 * distinct float32 values `lo < hi` gets the threshold
 *
 *     t = fround((lo + hi) / 2), or t = hi when that rounds down to lo.
 *
 * `t` lies in `(lo, hi]`, so `fround(x) < t` sends every training value that rounds to `lo` or
 * below left and every value that rounds to `hi` or above right: TypeScript and ONNX Runtime
 * agree on every input, not only on training values. The float64 comparison `x < t` also gives
 * the same answer for every training value unless `lo` and `hi` are neighbouring float32 numbers
 * (values closer than about 1e-7 relative), where no float32 threshold can separate all float64
 * values; Keel's own predictor never uses the float64 comparison.
 */

/** The float32 threshold between two distinct float32 values `lo < hi` (see the module doc). */
export function splitThreshold(lo: number, hi: number): number {
  const mid = Math.fround((lo + hi) / 2);
  return mid > lo ? mid : hi;
}
