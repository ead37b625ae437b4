/**
 * The numeric scale strategies work on: a log transform for `log` dimensions, and for `int`
 * dimensions a continuous interval widened by half a step on each side so that rounding gives
 * every integer the same share (Optuna's and hyperopt's `quniform` convention).
 */
import type { Distribution } from "./types.js";

/** A numeric distribution (`uniform` or `int`). */
export type NumericDistribution = Exclude<Distribution, { kind: "choice" }>;

/** Step between neighbouring values: `step` (default 1) for ints, 0 for continuous dims. */
export function stepOf(dist: NumericDistribution): number {
  return dist.kind === "int" ? (dist.step ?? 1) : 0;
}

/** A value in the internal scale (log for log dims). */
export function toInternal(dist: NumericDistribution, value: number): number {
  return dist.log ? Math.log(value) : value;
}

/** `[low, high]` of the internal scale, widened by half a step for ints. */
export function internalBounds(dist: NumericDistribution): readonly [number, number] {
  const half = stepOf(dist) / 2;
  return [toInternal(dist, dist.low - half), toInternal(dist, dist.high + half)];
}

/**
 * Maps an internal-scale number back to a legal value: exp for log dims, then for ints the
 * nearest grid point `low + k * step`, clamped to `[low, high]`.
 */
export function fromInternal(dist: NumericDistribution, x: number): number {
  const v = dist.log ? Math.exp(x) : x;
  return snapToDistribution(dist, v);
}

/** Clamps `v` into the distribution and, for ints, rounds it to the step grid. */
export function snapToDistribution(dist: NumericDistribution, v: number): number {
  if (dist.kind === "uniform") return Math.min(dist.high, Math.max(dist.low, v));
  const step = stepOf(dist);
  const top = dist.low + Math.floor((dist.high - dist.low) / step) * step;
  const k = Math.round((v - dist.low) / step);
  return Math.min(top, Math.max(dist.low, dist.low + k * step));
}

/** True when `v` is a legal value of `dist` (inside the bounds, on the step grid for ints). */
export function inDistribution(dist: Distribution, v: unknown): boolean {
  if (dist.kind === "choice") return dist.values.includes(v as never);
  if (typeof v !== "number" || !Number.isFinite(v) || v < dist.low || v > dist.high) return false;
  return dist.kind === "uniform" || snapToDistribution(dist, v) === v;
}
