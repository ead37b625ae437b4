import { invalidParam } from "../../errors.js";

/** How rows are dealt into train / valid / test. */
export const SPLIT_STRATEGIES = ["random", "stratified", "time", "group"] as const;

/** One of {@link SPLIT_STRATEGIES}. */
export type SplitStrategy = (typeof SPLIT_STRATEGIES)[number];

/** The parts a split writes, in the order they are reported. */
export const SPLIT_NAMES = ["train", "valid", "test"] as const;

/** One of {@link SPLIT_NAMES}. */
export type SplitName = (typeof SPLIT_NAMES)[number];

/** Largest seed: seeds are mixed as unsigned 32-bit integers. */
export const MAX_SEED = 2 ** 32 - 1;

/** What to split and how (the flags of `keel data split`). */
export interface SplitConfig {
  /** Strategy (default random). */
  readonly strategy: SplitStrategy;
  /** Target column: stratified needs it; the others report its balance when given. */
  readonly target?: string;
  /** Time column (time) or group column (group). */
  readonly by?: string;
  /** Share of rows for test, in (0, 1). */
  readonly test: number;
  /** Share of rows for valid, in [0, 1); 0 writes no valid.parquet. */
  readonly valid: number;
  /** Seed of the shuffle, 0..2^32-1; same seed and data give the same files. */
  readonly seed: number;
}

/**
 * Checks a split configuration before any data is read: fractions in range and leaving rows for
 * train, `--by` present exactly when the strategy uses it, a target for stratified.
 * @throws KeelError INVALID_PARAMETER_VALUE naming the flag and the fix.
 */
export function checkSplitConfig(config: SplitConfig): SplitConfig {
  const { strategy, test, valid, seed, by, target } = config;
  if (!(SPLIT_STRATEGIES as readonly string[]).includes(strategy)) {
    throw invalidParam(`Invalid --strategy '${strategy}': use one of ${SPLIT_STRATEGIES.join(", ")}`);
  }
  if (!(Number.isFinite(test) && test > 0 && test < 1)) {
    throw invalidParam(
      `Invalid --test ${test}: give the test share as a fraction between 0 and 1, e.g. --test 0.2`,
    );
  }
  if (!(Number.isFinite(valid) && valid >= 0 && valid < 1)) {
    throw invalidParam(
      `Invalid --valid ${valid}: give the validation share as a fraction in [0, 1), e.g. --valid 0.1`,
    );
  }
  if (test + valid >= 1) {
    throw invalidParam(
      `--test ${test} and --valid ${valid} sum to ${Number((test + valid).toFixed(6))}: their sum must be < 1 to leave rows for train`,
    );
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw invalidParam(`Invalid --seed ${seed}: give an integer from 0 to ${MAX_SEED}`);
  }
  const usesBy = strategy === "time" || strategy === "group";
  if (usesBy && by === undefined) {
    const what =
      strategy === "time" ? "the time column to order by" : "the column whose values form the groups";
    throw invalidParam(`--strategy ${strategy} needs --by COLUMN: ${what}`);
  }
  if (!usesBy && by !== undefined) {
    throw invalidParam(`--by is used only by --strategy time or group; drop it for --strategy ${strategy}`);
  }
  if (strategy === "stratified" && target === undefined) {
    throw invalidParam(
      "--strategy stratified needs --target COLUMN: the class column whose shares each split keeps",
    );
  }
  return Object.freeze({ ...config });
}

/** The parts a configuration writes: valid only when its share is above 0. */
export function splitNames(config: Pick<SplitConfig, "valid">): SplitName[] {
  return SPLIT_NAMES.filter((name) => name !== "valid" || config.valid > 0);
}
