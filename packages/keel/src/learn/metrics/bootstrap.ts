import { invalidParam } from "../../errors.js";
import { Rng } from "../core/random.js";
import { rowRange } from "../core/row-range.js";
import { quantileSorted } from "../core/stats.js";

/** A metric with a percentile bootstrap confidence interval. */
export interface ConfidenceInterval {
  /** The metric on the full sample. */
  readonly estimate: number;
  /** Lower bound (alpha/2 percentile of the bootstrap distribution). */
  readonly low: number;
  /** Upper bound (1 − alpha/2 percentile). */
  readonly high: number;
  /** Confidence level, e.g. 0.95. */
  readonly level: number;
  /** Bootstrap resamples used (resamples where the metric was undefined are skipped). */
  readonly resamples: number;
}

/** Options of {@link bootstrapCI}. */
export interface BootstrapOptions {
  /** Number of resamples (default 1000). */
  nResamples?: number;
  /** Confidence level (default 0.95). */
  level?: number;
  /** Seed of the resampling (default 0). */
  seed?: number;
}

/**
 * Percentile bootstrap CI of `metric`, which scores the rows at the given indices (drawn with
 * replacement from 0..n−1). Seeded, so reports are reproducible. A resample on which the metric
 * throws (e.g. ROC-AUC with one class) is skipped.
 * @example
 * const yTrue = Int32Array.from([1, 0, 1, 1, 0, 1, 0, 0]);
 * const yPred = Int32Array.from([1, 0, 0, 1, 0, 1, 1, 0]);
 * const ci = bootstrapCI(yTrue.length, (idx) => accuracy(pick(yTrue, idx), pick(yPred, idx)), { seed: 1 });
 * ci.estimate; // 0.75
 */
export function bootstrapCI(
  n: number,
  metric: (indices: Int32Array) => number,
  options: BootstrapOptions = {},
): ConfidenceInterval {
  const { nResamples = 1000, level = 0.95, seed = 0 } = options;
  if (n === 0) throw invalidParam("Cannot bootstrap an empty sample");
  if (!(level > 0 && level < 1)) throw invalidParam(`Bootstrap level ${level} must be in (0, 1), e.g. 0.95`);
  const all = rowRange(0, n);
  const estimate = metric(all);
  const rng = new Rng(seed);
  const values: number[] = [];
  const idx = new Int32Array(n);
  for (let b = 0; b < nResamples; b++) {
    for (let i = 0; i < n; i++) idx[i] = rng.int(n);
    try {
      const v = metric(idx);
      if (Number.isFinite(v)) values.push(v);
    } catch {
      // Undefined on this resample (e.g. one class only): skip it.
    }
  }
  const sorted = Float64Array.from(values).sort();
  const alpha = 1 - level;
  return {
    estimate,
    low: quantileSorted(sorted, alpha / 2),
    high: quantileSorted(sorted, 1 - alpha / 2),
    level,
    resamples: values.length,
  };
}

/** The values of `a` at `indices` (a resample). */
export function pick<T extends Int32Array | Float64Array>(a: T, indices: Int32Array): T {
  const out = new (a.constructor as new (n: number) => T)(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = a[indices[i]!]!;
  return out;
}
