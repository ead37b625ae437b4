import { Rng } from "../../src/learn/core/random.js";
import type { Config, SearchSpace } from "../../src/search/space/types.js";
import type { Observation, SearchStrategy } from "../../src/search/strategies/strategy.js";

/** Scores a trial; null means the trial failed. */
export type Objective = (config: Config, budget: number, index: number) => number | null;

/**
 * Runs a strategy to completion the way a runner does: asks for a batch, evaluates every
 * proposal (in `order` within the batch, to mimic parallel workers finishing out of order),
 * appends the observations, and asks again.
 */
export function runSearch(
  strategy: SearchStrategy,
  objective: Objective,
  options: { reverseBatches?: boolean; maxBatches?: number } = {},
): Observation[] {
  const history: Observation[] = [];
  for (let b = 0; b < (options.maxBatches ?? 10_000); b++) {
    const batch = strategy.nextBatch([...history].sort((x, y) => x.index - y.index));
    if (batch === null) return history;
    if (batch.length === 0) throw new Error("a strategy returned an empty batch");
    const order = options.reverseBatches ? [...batch].reverse() : batch;
    for (const p of order) history.push({ ...p, score: objective(p.config, p.budget, p.index) });
  }
  throw new Error("search did not finish");
}

/** Best score among full-budget trials (null when none succeeded). */
export function bestScore(history: readonly Observation[]): number | null {
  let best: number | null = null;
  for (const o of history)
    if (o.budget === 1 && o.score !== null && (best === null || o.score > best)) best = o.score;
  return best;
}

/** The full-budget trial with the best score. */
export function bestTrial(history: readonly Observation[]): Observation | undefined {
  return history
    .filter((o) => o.budget === 1 && o.score !== null)
    .sort((a, b) => b.score! - a.score! || a.index - b.index)[0];
}

/**
 * A 4-dimensional mixed space with a known maximum of 0 at x=2.5, y=0.1, k=6, c="b" (all on the
 * default 5-point grid).
 */
export const MIXED_SPACE: SearchSpace = {
  params: [
    { name: "x", dist: { kind: "uniform", low: -5, high: 5 } },
    { name: "y", dist: { kind: "uniform", low: 1e-3, high: 10, log: true } },
    { name: "k", dist: { kind: "int", low: 1, high: 20 } },
    { name: "c", dist: { kind: "choice", values: ["a", "b", "c"] } },
  ],
};

/** The objective of {@link MIXED_SPACE}; 0 at the optimum. */
export function mixedObjective(config: Config): number {
  const x = config.x as number;
  const y = Math.log10(config.y as number);
  const k = config.k as number;
  return -((x - 2.5) ** 2) / 4 - (y + 1) ** 2 - ((k - 6) / 5) ** 2 - (config.c === "b" ? 0 : 1);
}

/**
 * A tree-structured space: model "a" has one param; model "b" has an int, a flag and a child
 * `b.z` active only when the flag is true. Maximum 1 at b, k=3, flag=true, z=0.7.
 */
export const CONDITIONAL_SPACE: SearchSpace = {
  params: [
    { name: "model", dist: { kind: "choice", values: ["a", "b"] } },
    { name: "a.x", dist: { kind: "uniform", low: 0, high: 1 }, when: { model: ["a"] } },
    { name: "b.k", dist: { kind: "int", low: 1, high: 10 }, when: { model: ["b"] } },
    { name: "b.flag", dist: { kind: "choice", values: [true, false] }, when: { model: ["b"] } },
    { name: "b.z", dist: { kind: "uniform", low: 0, high: 1 }, when: { model: ["b"], "b.flag": [true] } },
  ],
};

/** The objective of {@link CONDITIONAL_SPACE}. */
export function conditionalObjective(config: Config): number {
  if (config.model === "a") return 0.5 - ((config["a.x"] as number) - 0.3) ** 2;
  const k = config["b.k"] as number;
  if (config["b.flag"] !== true) return 0.6 - Math.abs(k - 3) / 20;
  return 1 - ((config["b.z"] as number) - 0.7) ** 2 - Math.abs(k - 3) / 10;
}

/** Shifted sphere on [-5, 5]^d, maximum 0 at (1.3, -2.1, 0.7, 3.2, ...). */
export function sphereSpace(d: number): SearchSpace {
  return {
    params: Array.from({ length: d }, (_, i) => ({
      name: `x${i}`,
      dist: { kind: "uniform", low: -5, high: 5 },
    })),
  };
}

const CENTRE = [1.3, -2.1, 0.7, 3.2, -0.4, 2.2];

/** Negative squared distance to the sphere's centre. */
export function sphereObjective(config: Config): number {
  let s = 0;
  for (const [key, v] of Object.entries(config)) s += ((v as number) - CENTRE[Number(key.slice(1))]!) ** 2;
  return -s;
}

/**
 * A budgeted objective: the true score plus noise whose sd shrinks linearly to 0 at full
 * budget, drawn from a stream keyed by the trial index (reproducible, independent per trial).
 */
export function noisyByBudget(
  truth: (c: Config) => number,
  sd: number,
): (c: Config, budget: number, index: number) => number {
  return (config, budget, index) => truth(config) + sd * (1 - budget) * new Rng(1_000_003 + index).normal();
}

/** Mean of numbers. */
export function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}
