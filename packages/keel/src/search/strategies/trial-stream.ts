import { Rng } from "../../learn/core/random.js";
import { sampleConfig } from "../space/sample-config.js";
import type { Config, SearchSpace } from "../space/types.js";

/**
 * A random stream for trial `index` of a search seeded `seed`: it depends on nothing else, so a
 * trial's draws are the same whether the search ran sequentially, in parallel or was resumed.
 */
export function trialRng(seed: number, index: number): Rng {
  return new Rng(mix(mix(seed >>> 0) ^ Math.imul(index + 1, 0x9e3779b9)));
}

/** The uniformly random config of trial `index` (shared by random search, TPE's startup and halving's first rung). */
export function randomConfig(space: SearchSpace, seed: number, index: number): Config {
  return sampleConfig(space, trialRng(seed, index));
}

// murmur3's 32-bit finaliser: neighbouring inputs give unrelated outputs.
function mix(h: number): number {
  let x = h >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
