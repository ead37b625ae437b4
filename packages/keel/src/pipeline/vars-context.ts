/**
 * The variables `${...}` can use: params.yaml first (as DVC loads it by default), then each
 * `vars:` entry in order: a params file (`config.yaml`), some of its top-level keys
 * (`config.yaml:train,seed`), or an inline map. A name defined twice is an error naming both
 * places (DVC refuses to redefine too); values from files remember their file, so a stage that
 * uses them tracks them like params.
 */
import type { VarContext } from "./interpolation.js";
import type { ParamsFiles } from "./params-files.js";
import { DEFAULT_PARAMS_FILE, TOP_KEYS } from "./spec-keys.js";
import type { YamlSource } from "./yaml-source.js";

/** Build the variables of a pipeline file. */
export async function buildVarContext(spec: YamlSource, params: ParamsFiles): Promise<VarContext> {
  const values: Record<string, unknown> = {};
  const origins = new Map<string, string>();
  const definedBy = new Map<string, string>();
  const define = (
    name: string,
    value: unknown,
    where: string,
    file: string | undefined,
    at: (string | number)[],
  ) => {
    const before = definedBy.get(name);
    if (before !== undefined) {
      throw spec.error(at, `variable '${name}' is already defined by ${before}; rename one of them`);
    }
    values[name] = value;
    definedBy.set(name, where);
    if (file !== undefined) origins.set(name, file);
  };

  const defaults = await params.load(DEFAULT_PARAMS_FILE);
  if (defaults !== null) {
    const root = asMap(defaults.value);
    if (root === null) throw defaults.error([], "the top level must be a map of names to values");
    for (const [k, v] of Object.entries(root)) define(k, v, DEFAULT_PARAMS_FILE, DEFAULT_PARAMS_FILE, []);
  }

  const raw = asMap(spec.value)?.[TOP_KEYS.vars];
  if (raw === undefined || raw === null) return { values, origins };
  const entries = Array.isArray(raw) ? raw : [raw];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const at = Array.isArray(raw) ? [TOP_KEYS.vars, i] : [TOP_KEYS.vars];
    if (typeof entry === "string") {
      const [file = "", keyList] = entry.split(":", 2);
      if (file === DEFAULT_PARAMS_FILE && keyList === undefined) continue; // loaded already
      const loaded = await params.load(file).catch((e: Error) => {
        throw spec.error(at, e.message);
      });
      if (loaded === null) throw spec.error(at, `vars file '${file}' does not exist`);
      const root = asMap(loaded.value);
      if (root === null) throw spec.error(at, `vars file '${file}' must hold a map at its top level`);
      const keys = keyList === undefined ? Object.keys(root) : keyList.split(",").map((k) => k.trim());
      for (const k of keys) {
        if (!Object.hasOwn(root, k))
          throw spec.error(
            at,
            `'${k}' is not a top-level key of ${file} (keys: ${Object.keys(root).join(", ")})`,
          );
        define(k, root[k], file, file, at);
      }
    } else {
      const map = asMap(entry);
      if (map === null)
        throw spec.error(
          at,
          "each vars entry is a params file name (file.yaml or file.yaml:key1,key2) or a map of values",
        );
      for (const [k, v] of Object.entries(map)) define(k, v, `vars[${i}]`, undefined, at);
    }
  }
  return { values, origins };
}

/** `v` as a plain map, or null. */
export function asMap(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}
