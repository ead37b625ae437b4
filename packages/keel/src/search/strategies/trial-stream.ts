import { Rng } from "../../learn/core/random.js";
import { configAt } from "../space/sample-config.js";
import type { Config, SearchSpace } from "../space/types.js";

/**
 * A random stream for trial `index` of a search seeded `seed`: it depends on nothing else, so a
 * trial's draws are the same whether the search ran sequentially, in parallel or was resumed.
 */
export function trialRng(seed: number, index: number): Rng {
  return new Rng(mix(mix(seed >>> 0) ^ Math.imul(index + 1, 0x9e3779b9)));
}

/**
 * `n` configs that fill the space evenly: a Latin hypercube (McKay et al. 1979) in the draw
 * scale of each param. Every param's range is cut into `n` equal slices and each slice holds
 * exactly one config (at a random point of it), where `n` independent draws often leave a
 * stretch of a range unvisited. Used wherever a strategy starts from random configs (random
 * search, TPE's start-up trials, halving's first rung); config `i` depends only on the space,
 * `seed`, `n` and `i`, so sequential, parallel and resumed searches agree.
 */
export function latinHypercube(space: SearchSpace, seed: number, n: number): Config[] {
  const slices = new Rng(mix(seed >>> 0) ^ 0x4c48); // "LH": a stream apart from the trials'
  const order = space.params.map(() => slices.permutation(n));
  return Array.from({ length: n }, (_, i) => {
    const rng = trialRng(seed, i);
    return configAt(space, (k) => (order[k]![i]! + rng.next()) / n);
  });
}

// murmur3's 32-bit finaliser: neighbouring inputs give unrelated outputs.
function mix(h: number): number {
  let x = h >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
