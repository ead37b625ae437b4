import type { Observation, Proposal } from "./strategy.js";

/** `history` sorted by index (the contract promises it; resumed runs may not). */
export function sortedHistory(history: readonly Observation[]): Observation[] {
  return [...history].sort((a, b) => a.index - b.index);
}

/**
 * The proposals of a batch not yet in `history`: after an interruption mid-batch the strategy
 * re-proposes exactly the trials that are missing, identical to the first time.
 */
export function unfinished(batch: readonly Proposal[], history: readonly Observation[]): Proposal[] {
  const done = new Set(history.map((o) => o.index));
  return batch.filter((p) => !done.has(p.index));
}

/** The observations of `history` with index in `[start, end)`. */
export function inRange(history: readonly Observation[], start: number, end: number): Observation[] {
  return history.filter((o) => o.index >= start && o.index < end);
}

/** `batch`, or null when it is empty (the search is complete). */
export function nonEmpty<T>(batch: T[]): T[] | null {
  return batch.length > 0 ? batch : null;
}
