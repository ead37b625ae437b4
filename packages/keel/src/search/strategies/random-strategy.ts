import type { SearchSpace } from "../space/types.js";
import { validateSpace } from "../space/validate-space.js";
import { nonEmpty, unfinished } from "./batch-progress.js";
import type { SearchStrategy } from "./strategy.js";
import { type AnyStrategyOptions, commonOptions } from "./strategy-options.js";
import { latinHypercube } from "./trial-stream.js";

/**
 * Random search (Bergstra & Bengio 2012): `trials` random configs, all in one batch, drawn as a
 * Latin hypercube (each param's range evenly covered; see {@link latinHypercube}).
 * @example randomStrategy(space, { seed: 0, trials: 20 }).nextBatch([])?.length; // 20
 */
export function randomStrategy(space: SearchSpace, options: AnyStrategyOptions): SearchStrategy {
  validateSpace(space);
  const { seed, trials } = commonOptions(options);
  const batch = latinHypercube(space, seed, trials).map((config, index) => ({ index, config, budget: 1 }));
  return {
    name: "random",
    plannedTrials: trials,
    nextBatch: (history) => nonEmpty(unfinished(batch, history)),
  };
}
