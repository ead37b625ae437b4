/** How TPE splits the history into good and bad trials and weighs them (Optuna's defaults). */
import type { Observation } from "../strategy.js";

/** Number of "good" trials among `n`: min(ceil(0.1 n), 25) (Optuna's `default_gamma`). */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/**
 * Kernel weights of `n` trials, oldest first: 1 for up to 25 trials; beyond that the newest 25
 * weigh 1 and older ones ramp linearly from 1/n (Optuna's `default_weights`).
 */
export function defaultWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = n - 25;
  const out = new Array<number>(n).fill(1);
  for (let i = 0; i < ramp; i++) out[i] = ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1);
  return out;
}

/** The two groups, each oldest first. */
export interface TpeSplit {
  /** The best `gamma(n)` scored trials. */
  readonly below: readonly Observation[];
  /** Every other trial, failed ones (score null) included. */
  readonly above: readonly Observation[];
}

/**
 * Splits `history` into the best `gamma(n)` trials (highest score, ties to the lower index) and
 * the rest; a failed trial is never good, so it pushes the search away from its region.
 */
export function splitHistory(history: readonly Observation[]): TpeSplit {
  const scored = history
    .filter((o) => o.score !== null)
    .sort((a, b) => b.score! - a.score! || a.index - b.index);
  const good = new Set(scored.slice(0, defaultGamma(history.length)).map((o) => o.index));
  const byIndex = [...history].sort((a, b) => a.index - b.index);
  return {
    below: byIndex.filter((o) => good.has(o.index)),
    above: byIndex.filter((o) => !good.has(o.index)),
  };
}
