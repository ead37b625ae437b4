import { invalidParam } from "../../errors.js";
import { snapToDistribution } from "./distribution-scale.js";
import type { Distribution, ParamValue } from "./types.js";

/** Default number of grid points per numeric dimension. */
export const DEFAULT_GRID_POINTS = 5;

/**
 * The grid values of one dimension: every choice; `points` evenly spaced values of a uniform
 * dim (geometric on a log scale); every integer of an int dim when there are at most `points`,
 * else `points` evenly (or geometrically) spaced integers without duplicates.
 * @example dimensionGrid({ kind: "uniform", low: 0.01, high: 1, log: true }, 3); // [0.01, 0.1, 1]
 */
export function dimensionGrid(dist: Distribution, points: number = DEFAULT_GRID_POINTS): ParamValue[] {
  if (!Number.isInteger(points) || points < 1) {
    throw invalidParam(`gridPoints must be a positive integer, got ${points}`);
  }
  if (dist.kind === "choice") return [...dist.values];
  if (dist.kind === "int") {
    const step = dist.step ?? 1;
    const count = Math.floor((dist.high - dist.low) / step) + 1;
    if (count <= points) return Array.from({ length: count }, (_, k) => dist.low + k * step);
  }
  const values = spaced(dist.low, dist.high, points, dist.log === true).map((v) =>
    snapToDistribution(dist, v),
  );
  return [...new Set(values)];
}

// `n` points from lo to hi inclusive, linear or geometric; the ends are exact.
function spaced(lo: number, hi: number, n: number, log: boolean): number[] {
  if (lo === hi) return [lo];
  if (n === 1) return [log ? Math.sqrt(lo * hi) : (lo + hi) / 2];
  const a = log ? Math.log(lo) : lo;
  const b = log ? Math.log(hi) : hi;
  return Array.from({ length: n }, (_, i) => {
    if (i === 0) return lo;
    if (i === n - 1) return hi;
    const x = a + ((b - a) * i) / (n - 1);
    return log ? Math.exp(x) : x;
  });
}
