import { invalidParam } from "../../errors.js";
import type { Distribution, ParamSpec, ParamValue, SearchSpace } from "./types.js";

/**
 * Checks a search space and returns it: known distribution kinds, finite bounds with
 * `low <= high`, integer bounds and a positive integer `step` for `int`, `low > 0` on a log
 * scale, non-empty choices without duplicates, unique names, and `when` conditions that name an
 * EARLIER param (parents before children) with values that parent can take.
 * @throws KeelError INVALID_PARAMETER_VALUE naming the param and the fix.
 * @example validateSpace({ params: [{ name: "C", dist: { kind: "uniform", low: 1e-3, high: 100, log: true } }] });
 */
export function validateSpace(space: SearchSpace): SearchSpace {
  if (!space || !Array.isArray(space.params)) {
    throw invalidParam("A search space needs a `params` list of {name, dist, when?} entries");
  }
  const seen = new Map<string, ParamSpec>();
  for (const spec of space.params) {
    if (typeof spec?.name !== "string" || spec.name === "") {
      throw invalidParam("Every search-space param needs a non-empty string `name`");
    }
    if (seen.has(spec.name)) {
      throw invalidParam(`Search-space param '${spec.name}' is listed twice; give each param one entry`);
    }
    checkDistribution(spec.name, spec.dist);
    checkWhen(spec, seen, space);
    seen.set(spec.name, spec);
  }
  return space;
}

function checkDistribution(name: string, dist: Distribution): void {
  const fail = (why: string): never => {
    throw invalidParam(`Search-space param '${name}': ${why}`);
  };
  const kind = (dist as { kind?: unknown } | undefined)?.kind;
  if (kind === "choice") {
    const values = (dist as { values?: unknown }).values;
    if (!Array.isArray(values) || values.length === 0) fail("a choice needs a non-empty `values` list");
    const list = values as unknown[];
    for (const v of list) {
      if (!isParamValue(v))
        fail(`choice value ${JSON.stringify(v)} is not a finite number, string or boolean`);
    }
    const dup = list.find((v, i) => list.indexOf(v) !== i);
    if (dup !== undefined) fail(`choice value ${JSON.stringify(dup)} is listed twice`);
    return;
  }
  if (kind !== "uniform" && kind !== "int") {
    fail(`unknown distribution kind ${JSON.stringify(kind)}; use "uniform", "int" or "choice"`);
  }
  const { low, high, log } = dist as { low: unknown; high: unknown; log?: unknown };
  if (
    typeof low !== "number" ||
    typeof high !== "number" ||
    !Number.isFinite(low) ||
    !Number.isFinite(high)
  ) {
    fail(`${kind} needs finite numeric \`low\` and \`high\`, got low=${String(low)}, high=${String(high)}`);
  }
  const lo = low as number;
  const hi = high as number;
  if (lo > hi) fail(`low (${lo}) is greater than high (${hi}); swap them`);
  if (log !== undefined && typeof log !== "boolean") fail("`log` must be true or false");
  if (log === true && lo <= 0) fail(`a log scale needs low > 0, got low=${lo}; raise low or drop \`log\``);
  if (kind === "int") {
    if (!Number.isInteger(lo) || !Number.isInteger(hi)) {
      fail(`int bounds must be integers, got low=${lo}, high=${hi}; use "uniform" for real values`);
    }
    const step = (dist as { step?: unknown }).step;
    if (step !== undefined && (typeof step !== "number" || !Number.isInteger(step) || step < 1)) {
      fail(`int \`step\` must be a positive integer, got ${String(step)}`);
    }
    if (log === true && step !== undefined && step !== 1) {
      fail(`a log-scale int cannot have step ${String(step)}; drop \`step\` or \`log\``);
    }
  }
}

function checkWhen(spec: ParamSpec, earlier: ReadonlyMap<string, ParamSpec>, space: SearchSpace): void {
  if (spec.when === undefined) return;
  if (spec.when === null || typeof spec.when !== "object" || Array.isArray(spec.when)) {
    throw invalidParam(
      `Search-space param '${spec.name}': \`when\` must map parent param names to value lists`,
    );
  }
  for (const [parentName, values] of Object.entries(spec.when)) {
    const parent = earlier.get(parentName);
    if (!parent) {
      const later = space.params.some((p) => p.name === parentName);
      throw invalidParam(
        later
          ? `Search-space param '${spec.name}': \`when\` names '${parentName}', which is listed after it; list parents before children`
          : `Search-space param '${spec.name}': \`when\` names unknown param '${parentName}'; use one of ${[...earlier.keys()].join(", ") || "(no earlier params)"}`,
      );
    }
    if (!Array.isArray(values) || values.length === 0) {
      throw invalidParam(
        `Search-space param '${spec.name}': \`when.${parentName}\` needs a non-empty list of values`,
      );
    }
    const dist = parent.dist;
    if (dist.kind === "choice") {
      const bad = values.find((v) => !dist.values.includes(v));
      if (bad !== undefined) {
        throw invalidParam(
          `Search-space param '${spec.name}': \`when.${parentName}\` lists ${JSON.stringify(bad)}, which '${parentName}' never takes; its values: ${JSON.stringify(dist.values)}`,
        );
      }
    }
  }
}

/** True for a finite number, a string or a boolean. */
export function isParamValue(v: unknown): v is ParamValue {
  return typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));
}
