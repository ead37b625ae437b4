import type { Config } from "./types.js";

/**
 * A stable string for a config: keys sorted, values JSON-typed (so `1`, `"1"` and `true` differ).
 * Two configs with the same key are the same trial point.
 * @example configKey({ b: 1, a: "x" }); // '{"a":"x","b":1}'
 */
export function configKey(config: Config): string {
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(config).sort()) sorted[key] = config[key];
  return JSON.stringify(sorted);
}
