import type { Rng } from "../../../learn/core/random.js";
import { isActive } from "../../space/active-params.js";
import { inDistribution } from "../../space/distribution-scale.js";
import type { Config, ParamSpec, ParamValue, SearchSpace } from "../../space/types.js";
import type { Observation } from "../strategy.js";
import { type ParzenEstimator, parzenEstimator, type WeightedValues } from "./parzen-estimator.js";
import { defaultWeights, splitHistory } from "./tpe-split.js";

/** Settings of {@link TpeModel}. */
export interface TpeSettings {
  /** Candidates drawn from l(x) per param; the best l/g ratio wins. */
  readonly nCandidates: number;
  /** Weight of the prior kernel. */
  readonly priorWeight: number;
}

interface Dimension {
  readonly spec: ParamSpec;
  readonly good: ParzenEstimator;
  readonly bad: ParzenEstimator;
}

/**
 * The tree-structured Parzen estimator of Bergstra et al. (2011) fitted to a history: per
 * param, l(x) from the good trials and g(x) from the bad ones, each built only from the trials
 * where that param was active, so a conditional param learns from its own branch of the tree.
 */
export class TpeModel {
  readonly #dims: readonly Dimension[];
  readonly #nCandidates: number;

  constructor(space: SearchSpace, history: readonly Observation[], settings: TpeSettings) {
    const { below, above } = splitHistory(history);
    const fit = (spec: ParamSpec, group: readonly Observation[]) =>
      parzenEstimator(spec.dist, observedValues(spec, group), settings.priorWeight);
    this.#dims = space.params.map((spec) => ({ spec, good: fit(spec, below), bad: fit(spec, above) }));
    this.#nCandidates = settings.nCandidates;
  }

  /** A config: params in space order, each active one the argmax of log l - log g over candidates from l. */
  propose(rng: Rng): Config {
    const config: Record<string, ParamValue> = {};
    for (const { spec, good, bad } of this.#dims) {
      if (!isActive(spec, config)) continue;
      let best = good.sample(rng);
      let bestScore = good.logPdf(best) - bad.logPdf(best);
      for (let c = 1; c < this.#nCandidates; c++) {
        const candidate = good.sample(rng);
        const score = good.logPdf(candidate) - bad.logPdf(candidate);
        if (score > bestScore) {
          best = candidate;
          bestScore = score;
        }
      }
      config[spec.name] = best;
    }
    return config;
  }
}

// The group's values of `spec` (trials where it was active with a legal value), weighted by age
// within the whole group as Optuna does.
function observedValues(spec: ParamSpec, group: readonly Observation[]): WeightedValues {
  const weights = defaultWeights(group.length);
  const values: ParamValue[] = [];
  const kept: number[] = [];
  group.forEach((o, i) => {
    const v = o.config[spec.name];
    if (v !== undefined && inDistribution(spec.dist, v)) {
      values.push(v);
      kept.push(weights[i]!);
    }
  });
  return { values, weights: kept };
}
