import type { SearchSpace } from "../space/types.js";
import { validateSpace } from "../space/validate-space.js";
import { nonEmpty, unfinished } from "./batch-progress.js";
import type { SearchStrategy } from "./strategy.js";
import { type AnyStrategyOptions, commonOptions } from "./strategy-options.js";
import { randomConfig } from "./trial-stream.js";

/**
 * Random search (Bergstra & Bengio 2012): `trials` configs drawn independently, all in one batch.
 * @example randomStrategy(space, { seed: 0, trials: 20 }).nextBatch([])?.length; // 20
 */
export function randomStrategy(space: SearchSpace, options: AnyStrategyOptions): SearchStrategy {
  validateSpace(space);
  const { seed, trials } = commonOptions(options);
  const batch = Array.from({ length: trials }, (_, index) => ({
    index,
    config: randomConfig(space, seed, index),
    budget: 1,
  }));
  return {
    name: "random",
    plannedTrials: trials,
    nextBatch: (history) => nonEmpty(unfinished(batch, history)),
  };
}
