/**
 * One-dimensional Parzen estimators as Optuna's TPESampler builds them (univariate mode): a
 * mixture of one kernel per observation plus a prior kernel. Numeric dims use truncated
 * Gaussians on the internal scale (log for log dims; ints widened by half a step and scored by
 * the mass of their rounding interval); choices use a weighted categorical with a uniform prior.
 */
import type { Rng } from "../../../learn/core/random.js";
import {
  fromInternal,
  internalBounds,
  type NumericDistribution,
  stepOf,
  toInternal,
} from "../../space/distribution-scale.js";
import type { Distribution, ParamValue } from "../../space/types.js";
import { logNormalMass, logPhiDensity, logSumExp, truncatedNormalDraw } from "./normal.js";

/** A density over one dimension that can be sampled and scored. */
export interface ParzenEstimator {
  /** One draw. */
  sample(rng: Rng): ParamValue;
  /** log density (log probability for ints and choices) of `value`. */
  logPdf(value: ParamValue): number;
}

/** Observed values of one dim with their weights (same length), oldest first. */
export interface WeightedValues {
  /** Legal values of the dimension. */
  readonly values: readonly ParamValue[];
  /** Non-negative weights, one per value. */
  readonly weights: readonly number[];
}

/** The estimator for `dist` fitted to `observed`, with `priorWeight` on the prior kernel. */
export function parzenEstimator(
  dist: Distribution,
  observed: WeightedValues,
  priorWeight: number,
): ParzenEstimator {
  const mixture = mixtureWeights(observed.weights, priorWeight);
  return dist.kind === "choice"
    ? categoricalParzen(dist.values, observed.values, mixture, priorWeight)
    : numericParzen(dist, observed.values as number[], mixture);
}

// Observation weights then the prior's, normalised; the prior alone when nothing was observed.
function mixtureWeights(weights: readonly number[], priorWeight: number): number[] {
  if (weights.length === 0) return [1];
  const all = [...weights, priorWeight];
  const total = all.reduce((s, w) => s + w, 0);
  return all.map((w) => w / total);
}

function numericParzen(
  dist: NumericDistribution,
  values: readonly number[],
  weights: readonly number[],
): ParzenEstimator {
  const [lo, hi] = internalBounds(dist);
  if (!(hi > lo)) return { sample: () => dist.low, logPdf: () => 0 };
  const mid = 0.5 * (lo + hi);
  const mus = values.length === 0 ? [mid] : [...values.map((v) => toInternal(dist, v)), mid];
  const sigmas = values.length === 0 ? [hi - lo] : [...kernelWidths(mus, lo, hi), hi - lo];
  const logZ = mus.map((mu, k) => logNormalMass((lo - mu) / sigmas[k]!, (hi - mu) / sigmas[k]!));
  const logW = weights.map((w) => Math.log(w));
  const half = stepOf(dist) / 2;
  return {
    sample(rng) {
      const k = pick(weights, rng.next());
      return fromInternal(dist, truncatedNormalDraw(mus[k]!, sigmas[k]!, lo, hi, rng.next()));
    },
    logPdf(value) {
      const v = value as number;
      const terms = mus.map((mu, k) => {
        const s = sigmas[k]!;
        const local =
          half > 0
            ? logNormalMass((toInternal(dist, v - half) - mu) / s, (toInternal(dist, v + half) - mu) / s)
            : logPhiDensity((toInternal(dist, v) - mu) / s) - Math.log(s);
        return logW[k]! + local - logZ[k]!;
      });
      return logSumExp(terms);
    },
  };
}

/**
 * Kernel widths of the observations (the last entry of `mus` is the prior's centre, which takes
 * part in the neighbour distances as in Optuna): the larger gap to a sorted neighbour, the
 * outermost kernels using their inner gap, clipped to [range / min(100, n + 1), range].
 */
function kernelWidths(mus: readonly number[], lo: number, hi: number): number[] {
  const order = mus.map((_, i) => i).sort((a, b) => mus[a]! - mus[b]! || a - b);
  const sorted = [lo, ...order.map((i) => mus[i]!), hi];
  const m = order.length;
  const width = new Array<number>(mus.length);
  order.forEach((idx, j) => {
    const p = j + 1;
    let w = Math.max(sorted[p]! - sorted[p - 1]!, sorted[p + 1]! - sorted[p]!);
    if (m >= 2 && j === 0) w = sorted[2]! - sorted[1]!;
    if (m >= 2 && j === m - 1) w = sorted[m]! - sorted[m - 1]!;
    width[idx] = w;
  });
  const range = hi - lo;
  const minSigma = range / Math.min(100, mus.length + 1);
  return width.slice(0, mus.length - 1).map((w) => Math.min(range, Math.max(minSigma, w)));
}

function categoricalParzen(
  choices: readonly ParamValue[],
  values: readonly ParamValue[],
  weights: readonly number[],
  priorWeight: number,
): ParzenEstimator {
  const n = choices.length;
  const probs = new Array<number>(n).fill(values.length === 0 ? 1 / n : 0);
  if (values.length > 0) {
    // Each kernel puts prior/nKernels on every choice plus 1 on its own, normalised per kernel.
    const nKernels = values.length + 1;
    const base = priorWeight / nKernels;
    const rowTotal = base * n + 1;
    values.forEach((v, k) => {
      const c = choices.indexOf(v);
      for (let j = 0; j < n; j++) probs[j]! += (weights[k]! * (base + (j === c ? 1 : 0))) / rowTotal;
    });
    for (let j = 0; j < n; j++) probs[j]! += weights[values.length]! / n;
  }
  return {
    sample: (rng) => choices[pick(probs, rng.next())]!,
    logPdf: (value) => Math.log(probs[choices.indexOf(value)] ?? 0),
  };
}

// Index drawn from normalised `weights` with uniform `u`.
function pick(weights: readonly number[], u: number): number {
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i]!;
    if (u < acc) return i;
  }
  return weights.length - 1;
}
