import type { Rng } from "../../learn/core/random.js";
import { isActive } from "./active-params.js";
import { fromInternal, internalBounds } from "./distribution-scale.js";
import type { Config, Distribution, ParamValue, SearchSpace } from "./types.js";

/**
 * One draw from `dist`: uniform on the internal scale (so `log` dims are log-uniform), ints
 * rounded to their step grid, choices uniformly.
 */
export function sampleValue(dist: Distribution, rng: Rng): ParamValue {
  return valueAt(dist, rng.next());
}

/**
 * The value of `dist` at `u` in [0, 1) of its draw distribution (what {@link sampleValue} gives
 * for a uniform `u`): a point of the internal scale, or the choice at `floor(u * count)`.
 */
export function valueAt(dist: Distribution, u: number): ParamValue {
  if (dist.kind === "choice")
    return dist.values[Math.min(dist.values.length - 1, Math.floor(u * dist.values.length))]!;
  const [lo, hi] = internalBounds(dist);
  return fromInternal(dist, lo + u * (hi - lo));
}

/**
 * A random config: params are drawn in space order and a conditional param only when its
 * parents' drawn values activate it, so the result holds exactly the active params.
 * @example
 * sampleConfig({ params: [{ name: "k", dist: { kind: "int", low: 1, high: 50, log: true } }] }, new Rng(0)); // { k: ... }
 */
export function sampleConfig(space: SearchSpace, rng: Rng): Config {
  return configAt(space, () => rng.next());
}

/**
 * The config whose k-th param (in space order) sits at `u(k)` of its distribution; inactive
 * conditional params are skipped (their `u` is not asked for).
 */
export function configAt(space: SearchSpace, u: (k: number) => number): Config {
  const config: Record<string, ParamValue> = {};
  space.params.forEach((spec, k) => {
    if (isActive(spec, config)) config[spec.name] = valueAt(spec.dist, u(k));
  });
  return config;
}
