/** A finished (or failed) trial as the runner keeps it: the strategy's observation plus what was tracked. */
import type { Scores } from "../../learn/train/scores.js";
import type { Observation, Proposal } from "../strategies/strategy.js";

/** One trial that ended FINISHED or FAILED. */
export interface TrialRecord {
  /** What the strategy proposed. */
  readonly proposal: Proposal;
  /** Score the strategy maximises (metric negated for losses), null when the trial failed. */
  readonly score: number | null;
  /** `cv_<metric>_mean` / `_std` of every metric (empty when failed). */
  readonly metrics: Scores;
  /** Wall time of the trial's cross-validation, in seconds. */
  readonly fitTimeS: number;
  /** The trial's child run. */
  readonly runId: string;
  /** Why the trial failed. */
  readonly error?: string;
}

/** The strategy's view of a trial record. */
export function observationOf(record: TrialRecord): Observation {
  return { ...record.proposal, score: record.score };
}
