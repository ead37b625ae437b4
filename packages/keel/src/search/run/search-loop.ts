/**
 * The trial loop of a search: ask the strategy for a batch, replay the trials a resumed search
 * already has, run the rest (`concurrency` at a time, in index order), record each as a child
 * run, and repeat until the strategy is done, the caller aborts, or the time budget is spent.
 */
import { KeelError } from "../../errors.js";
import type { ActiveRun } from "../../track/index.js";
import { configKey } from "../space/config-key.js";
import type { Proposal, SearchStrategy } from "../strategies/strategy.js";
import { scoreOf } from "./search-metric.js";
import type { TrialExecutor, TrialRunResult } from "./trial-executor.js";
import { observationOf, type TrialRecord } from "./trial-record.js";
import { endTrialRun, type StoredTrial, startTrialRun } from "./trial-runs.js";

/** What the loop works with. */
export interface SearchLoopContext {
  /** The search run (trials are its children). */
  readonly parent: ActiveRun;
  /** Proposes trials. */
  readonly strategy: SearchStrategy;
  /** Runs trials. */
  readonly executor: TrialExecutor;
  /** Metric optimised (its `cv_<metric>_mean` is the score). */
  readonly metric: string;
  /** Trials a resumed search already finished, by index. */
  readonly stored: ReadonlyMap<number, StoredTrial>;
  /** Stops the search: no new trials; running ones are killed. */
  readonly signal: AbortSignal;
  /** No trial is launched after this time (ms since the epoch). */
  readonly deadline: number;
  /** Called after each trial that ended (replayed ones included), with every trial so far. */
  readonly onTrial?: ((trials: readonly TrialRecord[], running: number) => void) | undefined;
}

/** How the loop ended. */
export interface SearchLoopResult {
  /** Every FINISHED or FAILED trial, by index. */
  readonly trials: TrialRecord[];
  /** "complete" when the strategy ran out of trials, else why the search stopped early. */
  readonly ended: "complete" | "aborted" | "time-budget";
}

/** Runs the search loop; see the module comment. Rejects only on errors of the machinery itself. */
export async function runSearchLoop(ctx: SearchLoopContext): Promise<SearchLoopResult> {
  const trials: TrialRecord[] = [];
  let running = 0;
  // The first trial always runs, so even a budget shorter than one trial gives a result.
  let launched = 0;
  const pastDeadline = () => launched > 0 && Date.now() > ctx.deadline;
  const notify = () => ctx.onTrial?.(trials, running);
  for (;;) {
    const batch = ctx.strategy.nextBatch(trials.map(observationOf));
    if (batch === null) return { trials, ended: "complete" };
    if (batch.length === 0) {
      throw new KeelError("INTERNAL_ERROR", `Strategy ${ctx.strategy.name} proposed an empty batch`);
    }
    const pending: Proposal[] = [];
    for (const proposal of batch) {
      const stored = ctx.stored.get(proposal.index);
      if (stored === undefined) pending.push(proposal);
      else {
        trials.push(replayed(proposal, stored, ctx.metric));
        notify();
      }
    }
    const queue = [...pending];
    let failure: unknown;
    const stopped = () => ctx.signal.aborted || failure !== undefined || pastDeadline();
    const lane = async () => {
      while (queue.length > 0 && !stopped()) {
        const proposal = queue.shift()!;
        launched++;
        running++;
        try {
          const record = await runTrial(ctx, proposal);
          if (record) trials.push(record);
        } catch (e) {
          failure ??= e;
        } finally {
          running--;
        }
        notify();
      }
    };
    await Promise.all(Array.from({ length: Math.min(ctx.executor.concurrency, queue.length) }, lane));
    if (failure !== undefined) throw failure;
    trials.sort((a, b) => a.proposal.index - b.proposal.index);
    if (ctx.signal.aborted) return { trials, ended: "aborted" };
    if (queue.length > 0 || pastDeadline()) return { trials, ended: "time-budget" };
  }
}

/** Runs one trial in its child run; undefined when it was killed. */
async function runTrial(ctx: SearchLoopContext, proposal: Proposal): Promise<TrialRecord | undefined> {
  const child = await startTrialRun(ctx.parent, proposal);
  let result: TrialRunResult;
  try {
    result = await ctx.executor.run(proposal, ctx.signal);
  } catch (e) {
    await child.end("FAILED").catch(() => {});
    throw e;
  }
  await endTrialRun(child, proposal, result);
  if (result.status === "KILLED") return undefined;
  const mean = result.metrics[`cv_${ctx.metric}_mean`];
  return {
    proposal,
    score: result.status === "FINISHED" && mean !== undefined ? scoreOf(ctx.metric, mean) : null,
    metrics: result.metrics,
    fitTimeS: result.fitTimeS,
    runId: child.id,
    ...(result.status === "FAILED" && result.error !== undefined ? { error: result.error } : {}),
  };
}

/** A stored trial as a record, after checking the strategy proposes what was run. */
function replayed(proposal: Proposal, stored: StoredTrial, metric: string): TrialRecord {
  if (stored.configKey !== configKey(proposal.config)) {
    throw new KeelError(
      "INVALID_STATE",
      `Cannot resume: trial ${proposal.index} ran ${stored.configKey} but the strategy now proposes ${configKey(proposal.config)}; the search space or strategy changed since the search started`,
    );
  }
  const metrics = Object.fromEntries(Object.entries(stored.metrics).filter(([k]) => k.startsWith("cv_")));
  const mean = metrics[`cv_${metric}_mean`];
  return {
    proposal,
    score: stored.status === "FINISHED" && mean !== undefined ? scoreOf(metric, mean) : null,
    metrics,
    fitTimeS: stored.fitTimeS,
    runId: stored.runId,
    ...(stored.error !== undefined ? { error: stored.error } : {}),
  };
}
