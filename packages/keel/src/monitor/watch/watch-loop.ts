/**
 * The schedule of a watch: the first check at once, then one every `everyMs` (fixed rate; a
 * tick missed by a long check is skipped, not queued), until `maxChecks`, or until the signal
 * aborts (between checks: a check in progress always finishes and is recorded).
 */
import { mkdir } from "node:fs/promises";
import type { Tracker } from "../../track/tracker.js";
import type { CheckResult } from "./check-result.js";
import { runWatchCheck } from "./run-check.js";
import type { WatchConfig } from "./watch-config.js";
import { acquireWatchLock } from "./watch-lock.js";
import { loadWatchState } from "./watch-state.js";

/** Options of {@link watchLoop}. */
export interface WatchLoopOptions {
  /** Time between checks, ms. */
  readonly everyMs: number;
  /** Stop after this many checks (default: until aborted). */
  readonly maxChecks?: number;
  /** Stops the loop between checks (SIGINT/SIGTERM in the CLI). */
  readonly signal?: AbortSignal;
  /** Called after each check. */
  readonly onCheck?: (result: CheckResult) => void;
  /**
   * Called when a check other than the first fails; the loop goes on. The first check's error
   * is thrown: a bad reference or option should fail fast, not every hour.
   */
  readonly onError?: (error: unknown) => void;
}

/** What a watch did. */
export interface WatchSummary {
  /** Checks recorded (failed ones excluded). */
  readonly checks: number;
  /** The last recorded check. */
  readonly last: CheckResult | null;
  /** Checks that failed. */
  readonly failures: number;
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Watches `config.endpoint` on a schedule, holding the endpoint's watch lock. The watch state
 * is loaded once (so a restarted watcher continues its episode and detectors) and saved by
 * every check.
 */
export async function watchLoop(
  tracker: Tracker,
  config: WatchConfig,
  options: WatchLoopOptions,
): Promise<WatchSummary> {
  await mkdir(config.stateDir, { recursive: true });
  const release = await acquireWatchLock(config.stateDir, config.endpoint);
  try {
    const state = await loadWatchState(config.stateDir, config.endpoint);
    const max = options.maxChecks ?? Number.POSITIVE_INFINITY;
    const started = Date.now();
    let checks = 0;
    let failures = 0;
    let last: CheckResult | null = null;
    for (let tick = 0; checks + failures < max && !options.signal?.aborted; ) {
      try {
        last = await runWatchCheck(tracker, config, state);
        checks++;
        options.onCheck?.(last);
      } catch (e) {
        if (checks + failures === 0) throw e;
        failures++;
        options.onError?.(e);
      }
      if (checks + failures >= max || options.signal?.aborted) break;
      tick = Math.max(tick + 1, Math.ceil((Date.now() - started) / options.everyMs));
      await pause(started + tick * options.everyMs - Date.now(), options.signal);
    }
    return { checks, last, failures };
  } finally {
    await release();
  }
}
