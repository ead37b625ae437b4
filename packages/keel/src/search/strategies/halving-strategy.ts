import { invalidParam } from "../../errors.js";
import type { SearchSpace } from "../space/types.js";
import { validateSpace } from "../space/validate-space.js";
import { inRange, sortedHistory, unfinished } from "./batch-progress.js";
import type { Observation, Proposal, SearchStrategy } from "./strategy.js";
import { type AnyStrategyOptions, commonOptions, intOption, numberOption } from "./strategy-options.js";
import { latinHypercube } from "./trial-stream.js";

/** The rungs of a successive-halving search when no trial fails. */
export interface HalvingPlan {
  /** Configs per rung: `trials`, then floor(previous / eta) (at least 1). */
  readonly sizes: readonly number[];
  /** Budget fraction per rung: minBudget · eta^r, the last rung 1. */
  readonly budgets: readonly number[];
}

/**
 * The rung plan for `trials` first-rung configs. Options: `eta` (3), and either `nRungs`
 * (default 1 + floor(log_eta(trials)), so the last rung holds at least one config) or
 * `minBudget` (default eta^-(nRungs-1); given, it sets nRungs = 1 + ceil(log_eta(1/minBudget))).
 * @example halvingPlan({ seed: 0, trials: 27 }); // sizes [27, 9, 3, 1], budgets [1/27, 1/9, 1/3, 1]
 */
export function halvingPlan(options: AnyStrategyOptions): HalvingPlan & { readonly eta: number } {
  const { trials } = commonOptions(options);
  const eta = numberOption(options, "eta", 3, 1)!;
  const minBudgetOption = numberOption(options, "minBudget", undefined, 0, 1);
  if (minBudgetOption !== undefined && options.nRungs !== undefined) {
    throw invalidParam("Give halving either nRungs or minBudget, not both: each determines the other");
  }
  const logEta = (x: number) => Math.log(x) / Math.log(eta);
  const nRungs =
    minBudgetOption !== undefined
      ? 1 + Math.max(0, Math.ceil(logEta(1 / minBudgetOption) - 1e-9))
      : intOption(options, "nRungs", 1 + Math.floor(logEta(trials) + 1e-9), 1);
  const minBudget = minBudgetOption ?? eta ** -(nRungs - 1);
  const sizes = [trials];
  const budgets = [nRungs === 1 ? 1 : minBudget];
  for (let r = 1; r < nRungs; r++) {
    sizes.push(Math.max(1, Math.floor(sizes[r - 1]! / eta)));
    budgets.push(r === nRungs - 1 ? 1 : Math.min(1, minBudget * eta ** r));
  }
  return { eta, sizes, budgets };
}

/**
 * Synchronous successive halving (Jamieson & Talwalkar 2016; scikit-learn's
 * HalvingRandomSearchCV): rung 0 runs `trials` random configs (a Latin hypercube) at the smallest budget; each next
 * rung re-runs the best 1/eta of the previous one (highest score, ties to the lower index,
 * failed trials never promoted) at eta times the budget, up to the full budget. Each rung is
 * one batch; a promoted config gets a new index and its `rung`.
 * @example halvingStrategy(space, { seed: 0, trials: 27 }).nextBatch([])?.[0]?.budget; // 1/27
 */
export function halvingStrategy(space: SearchSpace, options: AnyStrategyOptions): SearchStrategy {
  validateSpace(space);
  const { seed, trials } = commonOptions(options);
  const { sizes, budgets } = halvingPlan(options);
  const first: Proposal[] = latinHypercube(space, seed, trials).map((config, index) => ({
    index,
    config,
    budget: budgets[0]!,
    rung: 0,
  }));
  return {
    name: "halving",
    plannedTrials: sizes.reduce((s, n) => s + n, 0),
    nextBatch(history) {
      const sorted = sortedHistory(history);
      let rung = first;
      for (let r = 0; ; r++) {
        const missing = unfinished(rung, sorted);
        if (missing.length > 0) return missing;
        if (r + 1 >= sizes.length) return null;
        const start = rung[0]!.index;
        const results = inRange(sorted, start, start + rung.length);
        rung = promote(results, sizes[r + 1]!, start + rung.length, budgets[r + 1]!, r + 1);
        if (rung.length === 0) return null; // every trial of the rung failed
      }
    },
  };
}

// The best `keep` scored trials of a rung, re-indexed from `start` for the next rung.
function promote(
  results: readonly Observation[],
  keep: number,
  start: number,
  budget: number,
  rung: number,
): Proposal[] {
  return results
    .filter((o) => o.score !== null)
    .sort((a, b) => b.score! - a.score! || a.index - b.index)
    .slice(0, keep)
    .map((o, k) => ({ index: start + k, config: o.config, budget, rung }));
}
