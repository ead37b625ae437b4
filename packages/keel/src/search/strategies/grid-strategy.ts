import { SpaceGrid } from "../space/space-grid.js";
import type { SearchSpace } from "../space/types.js";
import { validateSpace } from "../space/validate-space.js";
import { nonEmpty, unfinished } from "./batch-progress.js";
import type { SearchStrategy } from "./strategy.js";
import { type AnyStrategyOptions, commonOptions, intOption } from "./strategy-options.js";

/**
 * Grid search: every point of the grid (option `gridPoints` per numeric dim, default 5) in grid
 * order, or, when the grid has more than `trials` points, a seeded sample of `trials` of them
 * (still in grid order), all in one batch.
 * @example gridStrategy(space, { seed: 0, trials: 100, gridPoints: 3 }).nextBatch([]);
 */
export function gridStrategy(space: SearchSpace, options: AnyStrategyOptions): SearchStrategy {
  validateSpace(space);
  const { seed, trials } = commonOptions(options);
  const gridPoints = intOption(options, "gridPoints", 5, 1);
  const batch = new SpaceGrid(space, { gridPoints })
    .select(trials, seed)
    .map((config, index) => ({ index, config, budget: 1 }));
  return {
    name: "grid",
    plannedTrials: batch.length,
    nextBatch: (history) => nonEmpty(unfinished(batch, history)),
  };
}
