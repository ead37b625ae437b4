import type { Rng } from "../../learn/core/random.js";
import { isActive } from "./active-params.js";
import { fromInternal, internalBounds } from "./distribution-scale.js";
import type { Config, Distribution, ParamValue, SearchSpace } from "./types.js";

/**
 * One draw from `dist`: uniform on the internal scale (so `log` dims are log-uniform), ints
 * rounded to their step grid, choices uniformly.
 */
export function sampleValue(dist: Distribution, rng: Rng): ParamValue {
  if (dist.kind === "choice") return dist.values[rng.int(dist.values.length)]!;
  const [lo, hi] = internalBounds(dist);
  return fromInternal(dist, lo + rng.next() * (hi - lo));
}

/**
 * A random config: params are drawn in space order and a conditional param only when its
 * parents' drawn values activate it, so the result holds exactly the active params.
 * @example
 * sampleConfig({ params: [{ name: "k", dist: { kind: "int", low: 1, high: 50, log: true } }] }, new Rng(0)); // { k: ... }
 */
export function sampleConfig(space: SearchSpace, rng: Rng): Config {
  const config: Record<string, ParamValue> = {};
  for (const spec of space.params) {
    if (isActive(spec, config)) config[spec.name] = sampleValue(spec.dist, rng);
  }
  return config;
}
