/**
 * Worker-thread side of {@link WorkerPoolExecutor}: started before the search's data is ready
 * (it loads its modules meanwhile), it receives the data once in a first message, then evaluates
 * one fold of a trial per message and posts its result back. Put on the shelf after its search
 * (worker-shelf.ts), it drops the data and caches; a later search sends its own data.
 */
import type { MessagePort } from "node:worker_threads";
import type { Proposal } from "../strategies/strategy.js";
import { type FoldResult, type TrialData, TrialEvaluator, type TrialSettings } from "./trial-evaluator.js";
import type { TrialWorkerRelease } from "./worker-shelf.js";

/** What each search worker is started with. */
export interface TrialWorkerData {
  /** URL of this module (compiled), imported by the worker's bootstrap. */
  readonly moduleUrl: string;
}

/** Parent → worker, first message: the search's data. */
export interface TrialWorkerInit {
  readonly init: {
    /** The prepared problem (structured-cloned into the worker once). */
    readonly data: TrialData;
    /** Folds, metric, seed. */
    readonly settings: TrialSettings;
  };
}

/** Parent → worker: evaluate this fold of this proposal. */
export interface TrialRequest {
  /** The trial. */
  readonly proposal: Proposal;
  /** The fold (0-based). */
  readonly fold: number;
}

/** Worker → parent: the result of fold `fold` of the trial with `index`, or a fatal start-up error. */
export type TrialReply =
  | { readonly index: number; readonly fold: number; readonly result: FoldResult }
  | { readonly fatal: string };

/** Builds the evaluator from the first message, then answers each fold request on `port`. */
export function runTrialWorker(_boot: TrialWorkerData, port: MessagePort): void {
  let evaluator: TrialEvaluator | undefined;
  port.on("message", (message: TrialWorkerInit | TrialRequest | TrialWorkerRelease) => {
    if ("release" in message) {
      evaluator = undefined; // the data, fold copies and binned caches become garbage
      return;
    }
    if ("init" in message) {
      evaluator = undefined;
      try {
        evaluator = new TrialEvaluator(message.init.data, message.init.settings);
      } catch (e) {
        port.postMessage({
          fatal: e instanceof Error ? (e.stack ?? e.message) : String(e),
        } satisfies TrialReply);
      }
      return;
    }
    if (!evaluator) return; // it could not start: the parent was told so
    const result = evaluator.evaluateFold(message.proposal, message.fold);
    port.postMessage({ index: message.proposal.index, fold: message.fold, result } satisfies TrialReply);
  });
}
