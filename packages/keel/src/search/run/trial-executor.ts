/**
 * Where trials run: one at a time in this thread, or on a pool of worker threads (see
 * worker-pool.ts). Either way a trial can be stopped: it then reports KILLED.
 */
import { setImmediate as nextTick } from "node:timers/promises";
import type { Proposal } from "../strategies/strategy.js";
import type { TrialEvaluator, TrialOutcome } from "./trial-evaluator.js";

/** A trial's end: its outcome, or KILLED when it was stopped before it finished. */
export type TrialRunResult = TrialOutcome | { readonly status: "KILLED"; readonly fitTimeS: number };

/** Runs trials; `concurrency` of them at once. */
export interface TrialExecutor {
  /** How many trials may run at the same time. */
  readonly concurrency: number;
  /** Evaluate one trial; resolves KILLED soon after `signal` aborts. Never rejects for a failing estimator. */
  run(proposal: Proposal, signal: AbortSignal): Promise<TrialRunResult>;
  /** Release threads. */
  close(): Promise<void>;
}

/**
 * Trials in this thread, one at a time. Between folds it yields to the event loop, so a SIGINT
 * handler can run and abort the trial without waiting for its last fold.
 */
export class InProcessExecutor implements TrialExecutor {
  /** One trial at a time. */
  readonly concurrency = 1;
  readonly #evaluator: TrialEvaluator;

  constructor(evaluator: TrialEvaluator) {
    this.#evaluator = evaluator;
  }

  /** See {@link TrialExecutor.run}. */
  async run(proposal: Proposal, signal: AbortSignal): Promise<TrialRunResult> {
    const started = performance.now();
    const steps = this.#evaluator.steps(proposal);
    for (;;) {
      await nextTick();
      // The generator is simply dropped: it holds no resources.
      if (signal.aborted) {
        return { status: "KILLED", fitTimeS: (performance.now() - started) / 1000 };
      }
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /** Nothing to release. */
  async close(): Promise<void> {}
}
