/**
 * Metrics files (JSON, or YAML) as flat `key -> number` maps: numeric leaves joined with dots
 * (`{"test": {"auc": 0.9}}` -> `test.auc`), list items by index, booleans as 0/1 (as DVC shows
 * them); text and nulls are left out. The same flattening feeds tracked runs, `metrics show`
 * and `metrics diff`.
 */
import { parse as parseYaml } from "yaml";

/** Numeric leaves of a parsed metrics value. */
export function flattenMetrics(
  value: unknown,
  prefix = "",
  out: Map<string, number> = new Map(),
): Map<string, number> {
  if (typeof value === "number" && Number.isFinite(value)) out.set(prefix, value);
  else if (typeof value === "boolean") out.set(prefix, value ? 1 : 0);
  else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) flattenMetrics(value[i], join(prefix, String(i)), out);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) flattenMetrics(v, join(prefix, k), out);
  }
  return out;
}

function join(prefix: string, key: string): string {
  return prefix === "" ? key : `${prefix}.${key}`;
}

/**
 * Parse a metrics file's text.
 * @throws Error naming the file when it is neither JSON nor YAML.
 */
export function parseMetrics(text: string, file: string): Map<string, number> {
  let value: unknown;
  try {
    value = parseYaml(text); // JSON is YAML, so one parser reads both.
  } catch (e) {
    throw new Error(`${file} is not JSON or YAML (${(e as Error).message.split("\n")[0]})`);
  }
  return flattenMetrics(value);
}

/** A metric key the tracking store accepts: other characters become `_`. */
export function trackingKey(key: string): string {
  return key.replace(/[^\p{L}\p{N}_/.\- :]/gu, "_") || "_";
}
