/**
 * Trials as nested runs of the search run: what each child run records, and how `--resume`
 * reads the finished ones back.
 */
import type { Run } from "../../store/entities.js";
import { PARENT_RUN_ID_TAG } from "../../store/run-tags.js";
import type { TrackingStore } from "../../store/tracking-store.js";
import type { ActiveRun } from "../../track/index.js";
import { splitModelConfig } from "../space/combined-space.js";
import { configKey } from "../space/config-key.js";
import type { Proposal } from "../strategies/strategy.js";
import type { TrialRunResult } from "./trial-executor.js";

/** Tags of a trial run. */
export const TRIAL_TAGS = Object.freeze({
  /** 0-based trial index (stable across resumes). */
  index: "keel.trial.index",
  /** Halving rung. */
  rung: "keel.trial.rung",
  /** FINISHED, FAILED or KILLED. */
  status: "keel.trial.status",
  /** Why the trial failed. */
  error: "keel.trial.error",
  /** The config as JSON (the exact values; params are text). */
  config: "keel.trial.config",
});

/** Starts the child run of `proposal` under `parent`, with the model and its params as run params. */
export async function startTrialRun(parent: ActiveRun, proposal: Proposal): Promise<ActiveRun> {
  const { model, params } = splitModelConfig(proposal.config);
  const child = await parent.startChild({
    runName: `trial-${proposal.index}`,
    tags: {
      [TRIAL_TAGS.index]: String(proposal.index),
      ...(proposal.rung !== undefined ? { [TRIAL_TAGS.rung]: String(proposal.rung) } : {}),
      [TRIAL_TAGS.config]: configKey(proposal.config),
    },
  });
  await child.logParams({ model, ...params });
  return child;
}

/** Records how the trial ended (metrics, fit time, budget, status, error) and ends its run. */
export async function endTrialRun(
  child: ActiveRun,
  proposal: Proposal,
  result: TrialRunResult,
): Promise<void> {
  if (result.status === "FINISHED") child.logMetrics(result.metrics);
  child.logMetrics({ fit_time_s: result.fitTimeS, budget: proposal.budget });
  await child.setTags({
    [TRIAL_TAGS.status]: result.status,
    ...(result.status === "FAILED" && result.error !== undefined ? { [TRIAL_TAGS.error]: result.error } : {}),
  });
  await child.end(result.status);
}

/** A trial read back from the store. */
export interface StoredTrial {
  /** Trial index. */
  readonly index: number;
  /** FINISHED or FAILED. */
  readonly status: "FINISHED" | "FAILED";
  /** The config it ran (from its tag), to check the replay proposes the same. */
  readonly configKey: string;
  /** Latest metrics by key. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Fit time in seconds. */
  readonly fitTimeS: number;
  /** Child run id. */
  readonly runId: string;
  /** Error of a failed trial. */
  readonly error?: string;
}

/** The FINISHED and FAILED trials under search run `parent`, by trial index (KILLED ones are rerun). */
export async function loadTrials(
  store: TrackingStore,
  parent: { readonly runId: string; readonly experimentId: string },
): Promise<Map<number, StoredTrial>> {
  const out = new Map<number, StoredTrial>();
  let pageToken: string | undefined;
  do {
    const page = await store.searchRuns({
      experimentIds: [parent.experimentId],
      filter: `tags.\`${PARENT_RUN_ID_TAG}\` = '${parent.runId}'`,
      maxResults: 1000,
      ...(pageToken !== undefined ? { pageToken } : {}),
    });
    for (const run of page.items) {
      const trial = storedTrial(run);
      if (trial) out.set(trial.index, trial);
    }
    pageToken = page.nextPageToken;
  } while (pageToken);
  return out;
}

function storedTrial(run: Run): StoredTrial | undefined {
  const tag = (key: string) => run.data.tags.find((t) => t.key === key)?.value;
  const index = tag(TRIAL_TAGS.index);
  const status = run.info.status;
  if (index === undefined || (status !== "FINISHED" && status !== "FAILED")) return undefined;
  const metrics = Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value]));
  const error = tag(TRIAL_TAGS.error);
  return {
    index: Number(index),
    status,
    configKey: tag(TRIAL_TAGS.config) ?? "",
    metrics,
    fitTimeS: metrics.fit_time_s ?? 0,
    runId: run.info.runId,
    ...(error !== undefined ? { error } : {}),
  };
}
