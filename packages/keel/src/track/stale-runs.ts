import { hostname } from "node:os";
import type { Run } from "../store/entities.js";
import type { TrackingStore } from "../store/tracking-store.js";
import { SYSTEM_TAGS } from "./system-tags.js";

/** Options of {@link findStaleRuns}. */
export interface StaleRunCriteria {
  /** Also count as stale any RUNNING run started more than this many ms ago, on any host. */
  olderThanMs?: number | undefined;
  /** Clock, for the age check. Default `Date.now()`. */
  now?: number | undefined;
}

/** A stale run and why it counts as one. */
export interface StaleRun {
  run: Run;
  reason: string;
}

/** Experiments per `searchRuns` call, to keep requests small. */
const EXPERIMENTS_PER_SEARCH = 100;

/**
 * True when a process with this pid exists (signal 0 checks without sending anything). EPERM
 * means it exists but belongs to someone else. A recycled pid reads as alive: use `olderThanMs`
 * for those.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * RUNNING runs left behind by crashed processes: started on this host (tag `keel.host`) by a
 * process (tag `keel.pid`) that no longer exists, or, with `olderThanMs`, started longer ago
 * than that. Runs of the calling process are never stale. Searches every active experiment.
 */
export async function findStaleRuns(
  store: TrackingStore,
  criteria: StaleRunCriteria = {},
): Promise<StaleRun[]> {
  const host = hostname();
  const now = criteria.now ?? Date.now();
  const stale: StaleRun[] = [];
  for (const run of await runningRuns(store)) {
    const tags = new Map(run.data.tags.map((t) => [t.key, t.value]));
    const pid = Number(tags.get(SYSTEM_TAGS.pid));
    const local = tags.get(SYSTEM_TAGS.host) === host;
    if (local && pid === process.pid) continue;
    if (local && Number.isInteger(pid) && pid > 0 && !isProcessAlive(pid)) {
      stale.push({ run, reason: `process ${pid} on ${host} that started the run is gone` });
    } else if (criteria.olderThanMs !== undefined && now - run.info.startTime > criteria.olderThanMs) {
      stale.push({ run, reason: `RUNNING for more than ${criteria.olderThanMs} ms` });
    }
  }
  return stale;
}

/**
 * Mark FAILED (with tag `keel.staleReason`) every run {@link findStaleRuns} finds.
 * @returns the runs it failed, with the reason.
 */
export async function failStaleRuns(
  store: TrackingStore,
  criteria: StaleRunCriteria = {},
): Promise<StaleRun[]> {
  const stale = await findStaleRuns(store, criteria);
  for (const { run, reason } of stale) {
    await store.logBatch(run.info.runId, { tags: [{ key: SYSTEM_TAGS.staleReason, value: reason }] });
    await store.updateRun(run.info.runId, { status: "FAILED", endTime: Date.now() });
  }
  return stale;
}

/** Every RUNNING run of every active experiment. */
async function runningRuns(store: TrackingStore): Promise<Run[]> {
  const experimentIds: string[] = [];
  let token: string | undefined;
  do {
    const page = await store.searchExperiments({
      viewType: "ACTIVE_ONLY",
      maxResults: 1000,
      pageToken: token,
    });
    experimentIds.push(...page.items.map((e) => e.experimentId));
    token = page.nextPageToken;
  } while (token);

  const runs: Run[] = [];
  for (let i = 0; i < experimentIds.length; i += EXPERIMENTS_PER_SEARCH) {
    let runToken: string | undefined;
    do {
      const page = await store.searchRuns({
        experimentIds: experimentIds.slice(i, i + EXPERIMENTS_PER_SEARCH),
        filter: "attributes.status = 'RUNNING'",
        runViewType: "ACTIVE_ONLY",
        maxResults: 1000,
        pageToken: runToken,
      });
      runs.push(...page.items);
      runToken = page.nextPageToken;
    } while (runToken);
  }
  return runs;
}
