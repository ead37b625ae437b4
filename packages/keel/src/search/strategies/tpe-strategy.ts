import type { SearchSpace } from "../space/types.js";
import { validateSpace } from "../space/validate-space.js";
import { nonEmpty, sortedHistory, unfinished } from "./batch-progress.js";
import type { Proposal, SearchStrategy } from "./strategy.js";
import { type AnyStrategyOptions, commonOptions, intOption, numberOption } from "./strategy-options.js";
import { TpeModel } from "./tpe/tpe-model.js";
import { latinHypercube, trialRng } from "./trial-stream.js";

/** TPE defaults (Optuna's TPESampler; `batchSize` is Keel's). */
export const TPE_DEFAULTS = { nStartup: 10, batchSize: 4, nCandidates: 24, priorWeight: 1 } as const;

/**
 * Tree-structured Parzen estimator search (Bergstra et al. 2011, as Optuna's TPESampler):
 * `nStartup` random trials (one batch, a Latin hypercube), then batches of `batchSize` trials, each proposed from
 * the whole history before the batch. Batch boundaries are fixed by the options alone, and
 * each trial draws from its own seeded stream, so the proposals do not depend on how many
 * workers ran the earlier batches. Options: `nStartup` (10), `batchSize` (4), `nCandidates`
 * (24), `priorWeight` (1).
 * @example tpeStrategy(space, { seed: 0, trials: 50, batchSize: 2 }).nextBatch([])?.length; // 10
 */
export function tpeStrategy(space: SearchSpace, options: AnyStrategyOptions): SearchStrategy {
  validateSpace(space);
  const { seed, trials } = commonOptions(options);
  const nStartup = Math.min(trials, intOption(options, "nStartup", TPE_DEFAULTS.nStartup, 0));
  const batchSize = intOption(options, "batchSize", TPE_DEFAULTS.batchSize, 1);
  const settings = {
    nCandidates: intOption(options, "nCandidates", TPE_DEFAULTS.nCandidates, 1),
    priorWeight: numberOption(options, "priorWeight", TPE_DEFAULTS.priorWeight, 0)!,
  };
  const starts = batchStarts(trials, nStartup, batchSize);
  const startup = latinHypercube(space, seed, Math.min(trials, nStartup));
  return {
    name: "tpe",
    plannedTrials: trials,
    nextBatch(history) {
      const sorted = sortedHistory(history);
      const done = new Set(sorted.map((o) => o.index));
      for (const [b, start] of starts.entries()) {
        const end = starts[b + 1] ?? trials;
        const indices = Array.from({ length: end - start }, (_, k) => start + k);
        if (indices.every((i) => done.has(i))) continue;
        let propose = (index: number) => startup[index]!;
        if (start >= nStartup) {
          const model = new TpeModel(
            space,
            sorted.filter((o) => o.index < start),
            settings,
          );
          propose = (index) => model.propose(trialRng(seed, index));
        }
        const batch: Proposal[] = indices.map((index) => ({ index, config: propose(index), budget: 1 }));
        return nonEmpty(unfinished(batch, sorted));
      }
      return null;
    },
  };
}

// First index of each batch: the startup batch (if any), then every `batchSize`.
function batchStarts(trials: number, nStartup: number, batchSize: number): number[] {
  const starts = nStartup > 0 ? [0] : [];
  for (let s = nStartup; s < trials; s += batchSize) starts.push(s);
  return starts;
}
