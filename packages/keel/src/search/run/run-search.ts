/**
 * `keel search` as a library call: load and check the data, build the search space and strategy,
 * score the dummy baseline on the search's folds, run the trials as nested runs of one search run
 * (in this thread or on worker threads), write the leaderboard, then refit the best config on all
 * the training data through `trainModel` (a nested run too), package it and optionally register it.
 */
import { resolve } from "node:path";
import type { ProgressSink } from "../../data/versioning/progress-sink.js";
import { KeelError } from "../../errors.js";
import { Pipeline } from "../../learn/pipeline/index.js";
import { crossValidate } from "../../learn/train/fit-evaluate.js";
import { type PreparedData, prepareData } from "../../learn/train/prepare-data.js";
import { logDataset } from "../../learn/train/run-records.js";
import { foldSummary } from "../../learn/train/scores.js";
import type { Task } from "../../learn/train/task.js";
import { dummyFor, type TrainResult, trainModel } from "../../learn/train/train-model.js";
import type { ActiveRun, Tracker } from "../../track/index.js";
import { combinedSpace } from "../space/combined-space.js";
import type { SearchSpace } from "../space/types.js";
import { createStrategy, type SearchStrategy } from "../strategies/strategy.js";
import { buildLeaderboard, type LeaderboardRow, leaderboardCsv } from "./leaderboard.js";
import { runSearchLoop, type SearchLoopResult } from "./search-loop.js";
import { completePlan, type SearchOptions, type SearchPlan } from "./search-options.js";
import { COMMAND_TAG, planParams, SEARCH_COMMAND } from "./search-params.js";
import { newSearch, resumedSearch, type SearchStart, SPACE_ARTIFACT } from "./search-start.js";
import { TrialEvaluator, type TrialSettings } from "./trial-evaluator.js";
import { InProcessExecutor, type TrialExecutor } from "./trial-executor.js";
import { fullParams } from "./trial-model.js";
import type { TrialRecord } from "./trial-record.js";
import type { StoredTrial } from "./trial-runs.js";
import { WorkerPoolExecutor } from "./worker-pool.js";

/** Artifact paths of a search run. */
export const SEARCH_ARTIFACTS = Object.freeze({
  space: SPACE_ARTIFACT,
  leaderboard: "search/leaderboard.json",
  leaderboardCsv: "search/leaderboard.csv",
});

/** Progress of a running search, after every trial. */
export interface SearchProgress {
  /** Trials ended (FINISHED or FAILED, replayed ones included). */
  readonly done: number;
  /** Of which failed. */
  readonly failed: number;
  /** Trials running now. */
  readonly running: number;
  /** Trials the strategy plans when none fails (null when it cannot tell). */
  readonly planned: number | null;
  /** Metric optimised. */
  readonly metric: string;
  /** Best trial so far (the leaderboard's first row). */
  readonly best: LeaderboardRow | null;
}

/** What {@link runSearch} needs from its caller. */
export interface SearchDeps {
  /** Where the runs go. */
  readonly tracker: Tracker;
  /** Folder relative paths start from (default: the process's cwd). */
  readonly cwd?: string | undefined;
  /** Abort to stop the search cleanly: running trials and the search run end KILLED. */
  readonly signal?: AbortSignal | undefined;
  /** Called after each trial. */
  readonly onProgress?: ((progress: SearchProgress) => void) | undefined;
  /** Progress of the final refit (boosting iterations). */
  readonly progress?: ProgressSink | undefined;
}

/** The outcome of a search. */
export interface SearchResult {
  /** The search run's id. */
  readonly runId: string;
  /** FINISHED, or KILLED when it was stopped (resume it with `resume: runId`). */
  readonly status: "FINISHED" | "KILLED";
  /** Why trials stopped: the strategy was done, the caller aborted, or the time budget ran out. */
  readonly ended: SearchLoopResult["ended"];
  /** Task searched for. */
  readonly task: Task;
  /** The plan (stored as the run's params). */
  readonly plan: SearchPlan;
  /** The best trial (rank 1), or null when no trial finished. */
  readonly best: LeaderboardRow | null;
  /** Every trial, best first. */
  readonly leaderboard: LeaderboardRow[];
  /** The dummy baseline's CV mean and std of the metric, on the same folds. */
  readonly baseline: { readonly mean: number; readonly std: number };
  /** The refit of the best config (absent when stopped, or with `refit: false`). */
  readonly refit?: TrainResult;
}

/** Runs (or resumes) a model search; see {@link SearchOptions}. */
export async function runSearch(options: SearchOptions, deps: SearchDeps): Promise<SearchResult> {
  const resolvePath = (p: string) => resolve(deps.cwd ?? process.cwd(), p);
  const start =
    options.resume === undefined
      ? await newSearch(options, resolvePath)
      : await resumedSearch(options, deps.tracker);
  const prepared = await prepareData(start.partial);
  const plan = completePlan(
    start.partial,
    { ...options, models: start.models, metric: start.metric },
    prepared.problem.task,
  );
  const space = start.space ?? combinedSpace(plan.models, start.overrides);
  const strategy = createStrategy(plan.strategy, space, { seed: plan.seed, trials: plan.trials });
  const settings: TrialSettings = { seed: plan.seed, cv: plan.cv, metric: plan.metric };
  const evaluator = new TrialEvaluator(prepared, settings); // checks --cv against the rows and classes
  // Search workers start now and boot while this thread scores the baseline and opens the run
  // (not earlier: on 2 cores their start-up would slow the data loading as much as it saves).
  const data = { problem: prepared.problem, train: prepared.train, roles: prepared.roles };
  const executor =
    plan.parallel > 1
      ? new WorkerPoolExecutor(plan.parallel).load(data, settings, evaluator.folds)
      : new InProcessExecutor(evaluator);
  try {
    return await searchWith(deps, options, { start, prepared, plan, space, strategy, executor });
  } finally {
    await executor.close();
  }
}

/** What {@link searchWith} works with. */
interface SearchSetup {
  readonly start: SearchStart;
  readonly prepared: PreparedData;
  readonly plan: SearchPlan;
  readonly space: SearchSpace;
  readonly strategy: SearchStrategy;
  readonly executor: TrialExecutor;
}

// Baseline, search run, trials, outcome and refit.
async function searchWith(
  deps: SearchDeps,
  options: SearchOptions,
  setup: SearchSetup,
): Promise<SearchResult> {
  const { start, prepared, plan, space, strategy, executor } = setup;
  const baseline = baselineScore(prepared, plan);
  const parent = start.run
    ? await deps.tracker.resumeRun(start.run.info.runId)
    : await startSearchRun(deps, options, plan, space);
  let ended: SearchLoopResult["ended"] = "complete";
  try {
    const loop = await runTrials(deps, plan, executor, {
      parent,
      strategy,
      stored: start.stored,
    });
    ended = loop.ended;
    const leaderboard = buildLeaderboard(loop.trials, plan.metric);
    const best = leaderboard[0]?.status === "FINISHED" ? leaderboard[0] : null;
    await logOutcome(parent, plan, loop.trials, leaderboard, baseline);
    const base = { runId: parent.id, ended, task: prepared.problem.task, plan, best, leaderboard, baseline };
    if (ended === "aborted") {
      await parent.end("KILLED");
      return { ...base, status: "KILLED" };
    }
    if (best === null) {
      const first = loop.trials.find((t) => t.error !== undefined)?.error ?? "unknown";
      throw new KeelError(
        "INVALID_STATE",
        `All ${loop.trials.length} trials failed; the first error: ${first}`,
      );
    }
    const refit =
      options.refit === false ? undefined : await refitBest(deps, plan, prepared, best, loop.trials, parent);
    await parent.end("FINISHED");
    return { ...base, status: "FINISHED", ...(refit ? { refit } : {}) };
  } catch (e) {
    if (!parent.ended) await parent.end(ended === "aborted" ? "KILLED" : "FAILED").catch(() => {});
    throw e;
  }
}

/** The dummy baseline's CV score on the search's folds (crossValidate draws the same folds). */
function baselineScore(prepared: PreparedData, plan: SearchPlan): { mean: number; std: number } {
  const { problem, train } = prepared;
  // The dummy never looks at the features: scored on none, no fold fits a preprocessor for it.
  const pipe = new Pipeline({ steps: [["model", dummyFor(problem.task)]] });
  const labelsOnly = { X: { rowCount: train.X.rowCount, columns: [] }, y: train.y };
  const summary = foldSummary(crossValidate(pipe, labelsOnly, problem, plan.cv, plan.seed).folds);
  return {
    mean: summary[`cv_${plan.metric}_mean`] ?? Number.NaN,
    std: summary[`cv_${plan.metric}_std`] ?? Number.NaN,
  };
}

/** The new search run: tags, the plan as params, the space, the datasets. */
async function startSearchRun(
  deps: SearchDeps,
  options: SearchOptions,
  plan: SearchPlan,
  space: SearchSpace,
): Promise<ActiveRun> {
  const run = await deps.tracker.startRun({
    experiment: options.experiment,
    runName: options.runName,
    tags: { [COMMAND_TAG]: SEARCH_COMMAND },
  });
  try {
    await run.logParams(planParams(plan));
    await run.logDict(space, SEARCH_ARTIFACTS.space);
    await logDataset(deps.tracker, run, plan.data, "train", deps.cwd);
    if (plan.test !== undefined) await logDataset(deps.tracker, run, plan.test, "test", deps.cwd);
    return run;
  } catch (e) {
    await run.end("FAILED").catch(() => {});
    throw e;
  }
}

/** Runs the trial loop on the right executor, reporting progress and the best score so far. */
async function runTrials(
  deps: SearchDeps,
  plan: SearchPlan,
  executor: TrialExecutor,
  ctx: {
    parent: ActiveRun;
    strategy: SearchStrategy;
    stored: ReadonlyMap<number, StoredTrial>;
  },
): Promise<SearchLoopResult> {
  const signal = deps.signal ?? new AbortController().signal;
  let bestScore = Number.NEGATIVE_INFINITY;
  try {
    return await runSearchLoop({
      ...ctx,
      executor,
      metric: plan.metric,
      signal,
      deadline: plan.timeBudgetMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + plan.timeBudgetMs,
      onTrial: (trials, running) => {
        const latest = trials.at(-1);
        if (
          latest?.score !== null &&
          latest !== undefined &&
          latest.score > bestScore &&
          latest.proposal.budget >= 1
        ) {
          bestScore = latest.score;
          ctx.parent.logMetric(`best_cv_${plan.metric}_mean`, latest.metrics[`cv_${plan.metric}_mean`]!, {
            step: trials.length,
          });
        }
        deps.onProgress?.({
          done: trials.length,
          failed: trials.filter((t) => t.score === null).length,
          running,
          planned: ctx.strategy.plannedTrials ?? null,
          metric: plan.metric,
          best: buildLeaderboard(trials, plan.metric)[0] ?? null,
        });
      },
    });
  } finally {
    await executor.close();
  }
}

/** Parent metrics (best, counts, baseline) and the leaderboard artifacts. */
async function logOutcome(
  parent: ActiveRun,
  plan: SearchPlan,
  trials: readonly TrialRecord[],
  leaderboard: readonly LeaderboardRow[],
  baseline: { mean: number; std: number },
): Promise<void> {
  const m = plan.metric;
  const best = leaderboard[0]?.status === "FINISHED" ? leaderboard[0] : undefined;
  parent.logMetrics({
    n_trials: trials.length,
    n_failed: trials.filter((t) => t.score === null).length,
    ...(Number.isFinite(baseline.mean) ? { [`baseline_cv_${m}_mean`]: baseline.mean } : {}),
    ...(Number.isFinite(baseline.std) ? { [`baseline_cv_${m}_std`]: baseline.std } : {}),
  });
  if (best?.mean != null) {
    parent.logMetric(`best_cv_${m}_mean`, best.mean, { step: trials.length });
    if (best.std != null) parent.logMetric(`best_cv_${m}_std`, best.std);
    await parent.setTags({ "keel.search.best_trial": best.trial, "keel.search.best_run_id": best.runId });
  }
  await parent.logDict(leaderboard, SEARCH_ARTIFACTS.leaderboard);
  await parent.logText(leaderboardCsv(leaderboard, m), SEARCH_ARTIFACTS.leaderboardCsv);
}

/** Refits the best trial's config at full budget on all training data, as a nested training run. */
async function refitBest(
  deps: SearchDeps,
  plan: SearchPlan,
  prepared: PreparedData,
  best: LeaderboardRow,
  trials: readonly TrialRecord[],
  parent: ActiveRun,
): Promise<TrainResult> {
  const trial = trials.find((t) => t.proposal.index === best.trial)!;
  const { model, params } = fullParams(trial.proposal.config, prepared.problem.task, { seed: plan.seed });
  const result = await trainModel(
    {
      data: plan.data,
      target: plan.target,
      test: plan.test,
      cv: plan.test === undefined ? plan.cv : undefined,
      model,
      params,
      task: prepared.problem.task,
      roles: plan.roles,
      runName: `best-trial-${best.trial}`,
      register: plan.register,
      alias: plan.alias,
      seed: plan.seed,
      parent,
    },
    { tracker: deps.tracker, progress: deps.progress, cwd: deps.cwd },
  );
  await parent.setTags({
    "keel.search.refit_run_id": result.runId,
    ...(result.modelUri ? { "keel.search.model_uri": result.modelUri } : {}),
  });
  return result;
}
