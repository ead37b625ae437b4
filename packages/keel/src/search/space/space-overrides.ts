/**
 * User overrides of the default spaces, from YAML or an object:
 *
 * ```yaml
 * gbdt:
 *   learningRate: {loguniform: [0.01, 0.3]}
 *   maxDepth: {int: [3, 10]}
 *   earlyStopping: {choice: [true, false]}
 *   l2Regularization: 1.0        # a constant: fixed, not searched
 *   maxLeafNodes: null           # not searched: the estimator's default applies
 *   nIterNoChange: {int: [5, 20], when: {earlyStopping: true}}
 * ```
 *
 * Distribution forms: `{uniform: [lo, hi]}`, `{loguniform: [lo, hi]}`, `{int: [lo, hi], step?}`,
 * `{logint: [lo, hi]}`, `{choice: [...]}`, each with an optional `log: true` and `when`.
 * Param names are the estimator's (camelCase; snake_case is accepted and converted).
 */
import { type Document, isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { formatPath, lineSuffix, nodeLine } from "../../data/validate/expectations-file.js";
import { invalidParam, isKeelError } from "../../errors.js";
import { applyOverrides, type ModelOverrides } from "./apply-overrides.js";
import { DEFAULT_SPACES } from "./default-spaces.js";
import { modelParamNames } from "./model-param-names.js";
import type { Distribution, ParamSpec, ParamValue } from "./types.js";
import { isParamValue, validateSpace } from "./validate-space.js";

/** Parsed overrides, by model name. */
export type SpaceOverrides = Readonly<Record<string, ModelOverrides>>;

const KIND_KEYS = ["uniform", "loguniform", "int", "logint", "choice"] as const;
const EXTRA_KEYS = ["log", "step", "when"] as const;

type Path = readonly string[];

/**
 * Parses and validates space overrides (YAML text or an already-parsed object). Each model's
 * overridden space is checked against its defaults, so a bad `when` fails here, not mid-search.
 * @param source names the file in error messages.
 * @throws KeelError INVALID_PARAMETER_VALUE naming the source, `model.param`, the line (YAML
 * input) and the fix; an unknown param lists the model's valid ones.
 * @example parseSpaceOverrides("knn:\n  nNeighbors: {int: [1, 30]}\n").knn?.params[0]?.dist; // { kind: "int", low: 1, high: 30, log: false }
 */
export function parseSpaceOverrides(
  input: string | unknown,
  source = "search space overrides",
): SpaceOverrides {
  let root: unknown = input;
  let lineOf: (path: Path) => number | undefined = () => undefined;
  if (typeof input === "string") {
    const lineCounter = new LineCounter();
    const doc = parseDocument(input, { lineCounter, prettyErrors: true });
    const [syntaxError] = doc.errors;
    if (syntaxError) throw invalidParam(`${source}: invalid YAML: ${syntaxError.message.split("\n")[0]}`);
    root = doc.toJS();
    lineOf = (path) => keyLine(doc, lineCounter, path) ?? nodeLine(doc, lineCounter, path);
  }
  const fail: Fail = (path, message) => {
    throw invalidParam(`${source}: ${formatPath(path)}${lineSuffix(lineOf(path))}: ${message}`);
  };
  if (root === null || root === undefined) return Object.freeze({});
  if (!isPlainObject(root))
    return fail(
      [],
      "expected a mapping of model names to param overrides, e.g. `gbdt: {maxDepth: {int: [3, 10]}}`",
    );

  const out: Record<string, ModelOverrides> = {};
  for (const [model, body] of Object.entries(root)) out[model] = parseModel(model, body, fail);
  return Object.freeze(out);
}

type Fail = (path: Path, message: string) => never;

// One model's block: every param resolved to the estimator's name and parsed, then the merged
// space validated as a whole.
function parseModel(model: string, body: unknown, fail: Fail): ModelOverrides {
  if (!Object.hasOwn(DEFAULT_SPACES, model)) {
    fail([model], `unknown model '${model}'; overrides exist for ${Object.keys(DEFAULT_SPACES).join(", ")}`);
  }
  if (body !== null && !isPlainObject(body)) fail([model], "expected a mapping of param names to overrides");
  const valid = modelParamNames(model);
  const noParam = (name: string) =>
    `model '${model}' has no param '${name}'; its params: ${valid.join(", ")}`;
  const resolveParent = (parent: string) => {
    const found = resolveName(parent, valid);
    if (!found) throw invalidParam(`\`when\`: ${noParam(parent)}`);
    return found;
  };
  const params: ParamSpec[] = [];
  const remove: string[] = [];
  for (const [rawName, value] of Object.entries(body ?? {})) {
    const path = [model, rawName];
    const name = resolveName(rawName, valid) ?? fail(path, noParam(rawName));
    if (value === null) remove.push(name);
    else params.push(located(path, fail, true, () => parseParam(name, value, resolveParent)));
  }
  const overrides = Object.freeze({ params: Object.freeze(params), remove: Object.freeze(remove) });
  located([model], fail, false, () => validateSpace(applyOverrides(DEFAULT_SPACES[model]!, overrides)));
  return overrides;
}

function parseParam(name: string, value: unknown, resolve: (name: string) => string): ParamSpec {
  if (isParamValue(value)) return { name, dist: { kind: "choice", values: [value] } };
  if (Array.isArray(value)) {
    throw invalidParam(
      `a list is ambiguous; write {choice: ${JSON.stringify(value)}} to search these values`,
    );
  }
  if (!isPlainObject(value)) {
    throw invalidParam(`expected a constant, null or one of {${KIND_KEYS.join(" | ")}: ...}`);
  }
  const unknown = Object.keys(value).filter((k) => ![...KIND_KEYS, ...EXTRA_KEYS].includes(k as never));
  if (unknown.length > 0) {
    throw invalidParam(`unknown key '${unknown[0]}'; use one of ${[...KIND_KEYS, ...EXTRA_KEYS].join(", ")}`);
  }
  const kinds = KIND_KEYS.filter((k) => k in value);
  if (kinds.length !== 1) {
    throw invalidParam(
      `give exactly one of ${KIND_KEYS.join(", ")}${kinds.length > 1 ? `, not ${kinds.join(" and ")}` : ""}`,
    );
  }
  const dist = parseDist(kinds[0]!, value);
  const when = value.when === undefined ? undefined : parseWhen(value.when, resolve);
  const spec = when ? { name, dist, when } : { name, dist };
  validateSpace({ params: [{ name, dist }] });
  return spec;
}

function parseDist(kind: (typeof KIND_KEYS)[number], value: Record<string, unknown>): Distribution {
  const { log, step } = value;
  if (log !== undefined && typeof log !== "boolean") throw invalidParam("`log` must be true or false");
  if (step !== undefined && kind !== "int") throw invalidParam("`step` applies to int only");
  if (kind === "choice") {
    if (log !== undefined) throw invalidParam("`log` does not apply to choice");
    const values = value.choice;
    if (!Array.isArray(values))
      throw invalidParam("`choice` needs a list of values, e.g. {choice: [true, false]}");
    return { kind: "choice", values: values as ParamValue[] };
  }
  const bounds = value[kind];
  if (!Array.isArray(bounds) || bounds.length !== 2 || !bounds.every((b) => typeof b === "number")) {
    throw invalidParam(`\`${kind}\` needs [low, high], e.g. {${kind}: [1, 10]}`);
  }
  const [low, high] = bounds as [number, number];
  const isLog = kind === "loguniform" || kind === "logint" || log === true;
  if (kind === "uniform" || kind === "loguniform") return { kind: "uniform", low, high, log: isLog };
  return step === undefined
    ? { kind: "int", low, high, log: isLog }
    : { kind: "int", low, high, log: isLog, step: step as number };
}

function parseWhen(when: unknown, resolve: (name: string) => string): Record<string, ParamValue[]> {
  if (!isPlainObject(when))
    throw invalidParam("`when` needs a mapping of parent params to values, e.g. {earlyStopping: true}");
  const out: Record<string, ParamValue[]> = {};
  for (const [parent, values] of Object.entries(when)) {
    out[resolve(parent)] = (Array.isArray(values) ? values : [values]) as ParamValue[];
  }
  return out;
}

// Runs `fn`; a KeelError it throws is re-raised with the source, path and line in front (and
// without validateSpace's own "param 'x':" prefix when the path already names the param).
function located<T>(path: Path, fail: Fail, named: boolean, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!isKeelError(e)) throw e;
    return fail(path, named ? e.message.replace(/^Search-space param '[^']*': /, "") : e.message);
  }
}

function resolveName(name: string, valid: readonly string[]): string | undefined {
  const camel = name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  return valid.find((k) => k === name || k === camel);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

// The line of the KEY at the end of `path` (`svm:` rather than the mapping under it).
function keyLine(doc: Document, lineCounter: LineCounter, path: Path): number | undefined {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const key = parent.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === path.at(-1))?.key;
  return isScalar(key) && key.range ? lineCounter.linePos(key.range[0]).line : undefined;
}
