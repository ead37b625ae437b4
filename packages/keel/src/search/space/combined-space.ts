/**
 * The multi-model space of `keel search --models a,b`: a root `model` choice, then each model's
 * params prefixed `model.` and conditional on `model` (plus their own prefixed conditions).
 * The `model` param and the prefixes are ALWAYS there, even for one model, so a trial's params
 * have the same shape whatever `--models` was.
 */
import { invalidParam } from "../../errors.js";
import { applyOverrides } from "./apply-overrides.js";
import { defaultSpace } from "./default-spaces.js";
import type { SpaceOverrides } from "./space-overrides.js";
import type { Config, ParamSpec, ParamValue, SearchSpace } from "./types.js";
import { validateSpace } from "./validate-space.js";

/** Name of the root param that picks the model. */
export const MODEL_PARAM = "model";

/**
 * Builds the combined space for `models` (catalog names, in the order given), each model's
 * defaults merged with `overrides[model]`; overrides for models not listed are ignored.
 * @throws KeelError INVALID_PARAMETER_VALUE for an empty or repeated list, `dummy`, an unknown model.
 * @example
 * combinedSpace(["knn"]).params.map((p) => p.name); // ["model", "knn.nNeighbors", "knn.weights"]
 */
export function combinedSpace(models: readonly string[], overrides: SpaceOverrides = {}): SearchSpace {
  if (models.length === 0) throw invalidParam("--models needs at least one model, e.g. --models gbdt,rf");
  const dup = models.find((m, i) => models.indexOf(m) !== i);
  if (dup !== undefined) throw invalidParam(`--models lists '${dup}' twice`);
  const params: ParamSpec[] = [{ name: MODEL_PARAM, dist: { kind: "choice", values: [...models] } }];
  for (const model of models) {
    const space = applyOverrides(defaultSpace(model), overrides[model]);
    for (const spec of space.params) params.push(prefixed(model, spec));
  }
  return validateSpace({ params });
}

function prefixed(model: string, spec: ParamSpec): ParamSpec {
  const when: Record<string, readonly ParamValue[]> = { [MODEL_PARAM]: [model] };
  for (const [parent, values] of Object.entries(spec.when ?? {})) when[`${model}.${parent}`] = values;
  return { name: `${model}.${spec.name}`, dist: spec.dist, when };
}

/** A combined-space config split into the model name and its estimator params (prefix removed). */
export interface ModelConfig {
  /** Catalog model name. */
  readonly model: string;
  /** Estimator params, by the estimator's names. */
  readonly params: Readonly<Record<string, ParamValue>>;
}

/**
 * Splits a config of {@link combinedSpace} into the model and its params.
 * @example splitModelConfig({ model: "knn", "knn.nNeighbors": 7 }); // { model: "knn", params: { nNeighbors: 7 } }
 */
export function splitModelConfig(config: Config): ModelConfig {
  const model = config[MODEL_PARAM];
  if (typeof model !== "string") throw invalidParam(`A search config needs a string '${MODEL_PARAM}' param`);
  const prefix = `${model}.`;
  const params: Record<string, ParamValue> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key.startsWith(prefix)) params[key.slice(prefix.length)] = value;
  }
  return { model, params };
}
