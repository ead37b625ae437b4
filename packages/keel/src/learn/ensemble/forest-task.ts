import { Rng } from "../core/random.js";
import { CartBuilder, type CartOptions, type CartResult, type CartTarget } from "../tree/cart-builder.js";
import type { RankedFeatures } from "../tree/ranked-features.js";

/** Everything a forest's trees share (typed arrays backed by SharedArrayBuffers when parallel). */
export interface SharedForestData {
  /** Ranked training features. */
  readonly data: RankedFeatures;
  /** Training target. */
  readonly target: CartTarget;
  /** Growth limits. */
  readonly options: CartOptions;
  /** Draw a bootstrap sample per tree (else every tree sees all rows). */
  readonly bootstrap: boolean;
}

/** One tree to grow: its position in the forest and its own seed. */
export interface ForestTask {
  /** Tree index in the forest. */
  readonly index: number;
  /** Seed of the tree's bootstrap and feature draws. */
  readonly seed: number;
}

/**
 * A function growing one tree from its task: the bootstrap (n draws with replacement, kept as
 * per-row counts like scikit-learn's sample weights) and the feature draws both come from
 * `Rng(task.seed)`, so a tree does not depend on which thread grows it.
 */
export function growOneTree(shared: SharedForestData): (task: ForestTask) => CartResult {
  const builder = new CartBuilder(shared.data, shared.target, shared.options);
  const n = shared.data.nRows;
  const weights = new Float64Array(n);
  return (task) => {
    const rng = new Rng(task.seed);
    if (!shared.bootstrap) return builder.build(rng, null);
    weights.fill(0);
    for (let i = 0; i < n; i++) weights[rng.int(n)]! += 1;
    return builder.build(rng, weights);
  };
}

/** Tells the waiting parent that one more message is ready. */
export function signalDone(signal: Int32Array): void {
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}
