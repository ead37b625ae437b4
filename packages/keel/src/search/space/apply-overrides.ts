import type { ParamSpec, SearchSpace } from "./types.js";

/** One model's overrides: params to replace or add, and params to stop searching. */
export interface ModelOverrides {
  /** Replacements (same name as a default, which keeps its `when` unless one is given) and additions (appended). */
  readonly params: readonly ParamSpec[];
  /** Params taken out of the search (the estimator's default applies). */
  readonly remove: readonly string[];
}

/**
 * `base` with `overrides` merged in. A default param whose inherited condition can no longer
 * hold (its parent was removed, or fixed to a value outside the condition) is dropped too, so
 * `earlyStopping: false` quietly stops searching `nIterNoChange`. Conditions the user wrote are
 * kept as written, for validation to judge.
 * @example applyOverrides(defaultSpace("knn"), { params: [], remove: ["weights"] }).params.length; // 1
 */
export function applyOverrides(base: SearchSpace, overrides: ModelOverrides | undefined): SearchSpace {
  if (!overrides) return base;
  const byName = new Map(overrides.params.map((p) => [p.name, p]));
  const removed = new Set(overrides.remove);
  const kept = new Map<string, ParamSpec>();
  for (const spec of base.params) {
    if (removed.has(spec.name)) continue;
    const override = byName.get(spec.name);
    const merged = override
      ? { ...override, ...(override.when || !spec.when ? {} : { when: spec.when }) }
      : spec;
    if (override?.when || satisfiable(merged, kept)) kept.set(spec.name, merged);
  }
  const added = overrides.params.filter((p) => !base.params.some((b) => b.name === p.name));
  return { params: [...kept.values(), ...added] };
}

// False when some parent of `spec` is gone or can never take a value the condition lists.
function satisfiable(spec: ParamSpec, kept: ReadonlyMap<string, ParamSpec>): boolean {
  return Object.entries(spec.when ?? {}).every(([parent, values]) => {
    const dist = kept.get(parent)?.dist;
    if (!dist) return false;
    return dist.kind !== "choice" || values.some((v) => dist.values.includes(v));
  });
}
