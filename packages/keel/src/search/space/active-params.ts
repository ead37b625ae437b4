import type { Config, ParamSpec, SearchSpace } from "./types.js";

/** True when every `when` condition of `spec` holds in `config` (a parent that is absent fails it). */
export function isActive(spec: ParamSpec, config: Config): boolean {
  if (!spec.when) return true;
  for (const [parent, values] of Object.entries(spec.when)) {
    if (!Object.hasOwn(config, parent) || !values.includes(config[parent]!)) return false;
  }
  return true;
}

/**
 * The params of `space` that are active given the values in `partial`, in space order. A child
 * whose parent is not set in `partial` counts as inactive, so calling this with a full config
 * gives exactly the params that config should hold.
 * @example
 * const space = { params: [
 *   { name: "earlyStopping", dist: { kind: "choice", values: [true, false] } },
 *   { name: "nIterNoChange", dist: { kind: "int", low: 5, high: 30 }, when: { earlyStopping: [true] } },
 * ] };
 * activeParams(space, { earlyStopping: false }).map((p) => p.name); // ["earlyStopping"]
 */
export function activeParams(space: SearchSpace, partial: Config): ParamSpec[] {
  return space.params.filter((spec) => isActive(spec, partial));
}
