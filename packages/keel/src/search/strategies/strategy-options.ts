import { invalidParam } from "../../errors.js";
import type { StrategyOptions } from "./strategy.js";

/** Strategy options as factories receive them: the common ones plus strategy-specific extras. */
export type AnyStrategyOptions = StrategyOptions & Readonly<Record<string, unknown>>;

/** `seed` (an integer) and `trials` (a positive integer), checked. */
export function commonOptions(options: AnyStrategyOptions): StrategyOptions {
  const { seed, trials } = options;
  if (typeof seed !== "number" || !Number.isInteger(seed)) {
    throw invalidParam(`Search seed must be an integer, got ${String(seed)}`);
  }
  if (typeof trials !== "number" || !Number.isInteger(trials) || trials < 1) {
    throw invalidParam(`--trials must be a positive integer, got ${String(trials)}`);
  }
  return { seed, trials };
}

/** Integer option `key` (>= `min`), or `fallback` when absent. */
export function intOption(options: AnyStrategyOptions, key: string, fallback: number, min: number): number {
  const v = options[key];
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
    throw invalidParam(`Strategy option '${key}' must be an integer >= ${min}, got ${String(v)}`);
  }
  return v;
}

/** Number option `key` within `(min, max]` (`min` exclusive), or `fallback` when absent. */
export function numberOption(
  options: AnyStrategyOptions,
  key: string,
  fallback: number | undefined,
  min: number,
  max = Number.POSITIVE_INFINITY,
): number | undefined {
  const v = options[key];
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isFinite(v) || v <= min || v > max) {
    const range = max === Number.POSITIVE_INFINITY ? `> ${min}` : `in (${min}, ${max}]`;
    throw invalidParam(`Strategy option '${key}' must be a number ${range}, got ${String(v)}`);
  }
  return v;
}
