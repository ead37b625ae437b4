/**
 * Drift episodes with hysteresis: an episode opens on the first drifting check after a quiet
 * one, stays open while checks keep drifting, and closes on the first check without drift. An
 * empty window is no evidence either way and leaves the episode as it is. Alerts and the
 * retraining command belong to the episode, so they happen once per episode, not per check.
 */
import type { EpisodeState } from "./watch-state.js";

/** What a check concluded. */
export type CheckVerdict = "drift" | "no_drift" | "no_data";

/** How a check moved the episode. */
export interface EpisodeStep {
  /** The episode after the check (null when none ever opened). */
  readonly episode: EpisodeState | null;
  /** Episodes opened so far. */
  readonly episodes: number;
  /** True when this check opened a new episode. */
  readonly opened: boolean;
  /** True when this check closed the episode. */
  readonly closed: boolean;
}

/**
 * The episode after a check with `verdict`, at time `now`, recorded as run `runId`.
 * Pure: the caller saves the result.
 */
export function stepEpisode(
  episode: EpisodeState | null,
  episodes: number,
  verdict: CheckVerdict,
  now: number,
  runId: string,
): EpisodeStep {
  const active = episode?.active === true;
  if (verdict === "drift" && !active) {
    const opened: EpisodeState = {
      number: episodes + 1,
      active: true,
      startedAt: now,
      startRunId: runId,
      endedAt: null,
      alerted: false,
      commandRan: false,
    };
    return { episode: opened, episodes: episodes + 1, opened: true, closed: false };
  }
  if (verdict === "no_drift" && active && episode !== null) {
    return { episode: { ...episode, active: false, endedAt: now }, episodes, opened: false, closed: true };
  }
  return { episode, episodes, opened: false, closed: false };
}
