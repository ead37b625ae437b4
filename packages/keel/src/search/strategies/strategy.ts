// search/strategies/strategy.ts
import { invalidParam } from "../../errors.js";
import type { Config, SearchSpace } from "../space/types.js";
import { gridStrategy } from "./grid-strategy.js";
import { halvingStrategy } from "./halving-strategy.js";
import { randomStrategy } from "./random-strategy.js";
import type { AnyStrategyOptions } from "./strategy-options.js";
import { tpeStrategy } from "./tpe-strategy.js";
/** A trial to run: its 0-based index (stable id across runs and resumes), config, and budget as a fraction in (0, 1] of the full budget. */
export interface Proposal {
  /** 0-based trial index. */
  readonly index: number;
  /** Values of the active params. */
  readonly config: Config;
  /** Fraction of the full budget, in (0, 1]. */
  readonly budget: number;
  /** Successive-halving rung (0 = first), for strategies with rungs. */
  readonly rung?: number;
}
/** A finished trial. `score` is MAXIMISED (callers negate loss metrics); null = the trial failed. */
export interface Observation extends Proposal {
  /** The score (higher is better), or null when the trial failed. */
  readonly score: number | null;
}
/**
 * A search strategy proposes trials in BATCHES. Trials of one batch are independent, so a runner
 * may run them in any order and in parallel; the next batch is asked for only after every trial
 * of earlier batches finished, and `history` then holds all of them sorted by index. Proposals are a
 * pure function of (space, options incl. seed, history) — so sequential, parallel and resumed
 * searches with the same seed and trial count propose exactly the same trials.
 */
export interface SearchStrategy {
  /** The strategy's name, as `--strategy` spells it. */
  readonly name: string;
  /** Trials the whole search proposes when none fails (for progress bars); additive to the contract. */
  readonly plannedTrials?: number;
  /** The next batch (non-empty), or null when the search is complete. */
  nextBatch(history: readonly Observation[]): Proposal[] | null;
}
/** Options every strategy factory takes. */
export interface StrategyOptions {
  /** Seed of every random draw (an integer). */
  readonly seed: number;
  /** Max number of full-budget-equivalent trials (grid: cap on grid points; random/tpe: trial count; halving: number of configs in the first rung). */
  readonly trials: number;
}
/** A strategy `createStrategy` knows. */
export type StrategyName = "grid" | "random" | "tpe" | "halving";
/** The strategy names, in the order `--help` lists them. */
export const STRATEGY_NAMES: readonly StrategyName[] = ["grid", "random", "tpe", "halving"];

/**
 * Builds the named strategy over `space` (validated first); strategy-specific options ride
 * along in `options` (grid: `gridPoints`; tpe: `nStartup`, `batchSize`, `nCandidates`,
 * `priorWeight`; halving: `eta`, `nRungs` or `minBudget`). Other keys are ignored.
 * @throws KeelError INVALID_PARAMETER_VALUE for an unknown name, a bad space or a bad option.
 */
export function createStrategy(
  name: StrategyName,
  space: SearchSpace,
  options: StrategyOptions & Record<string, unknown>,
): SearchStrategy {
  const factory = FACTORIES[name];
  if (!factory || !Object.hasOwn(FACTORIES, name)) {
    throw invalidParam(`Unknown search strategy '${String(name)}'; use one of ${STRATEGY_NAMES.join(", ")}`);
  }
  return factory(space, options);
}

const FACTORIES: Readonly<
  Record<StrategyName, (space: SearchSpace, options: AnyStrategyOptions) => SearchStrategy>
> = {
  grid: gridStrategy,
  random: randomStrategy,
  tpe: tpeStrategy,
  halving: halvingStrategy,
};
