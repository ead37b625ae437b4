/**
 * Worker-thread side of {@link WorkerPoolExecutor}: receives the search's data once (through
 * `workerData`), then evaluates one fold of a trial per message and posts its result back.
 */
import type { MessagePort } from "node:worker_threads";
import type { Proposal } from "../strategies/strategy.js";
import { type FoldResult, type TrialData, TrialEvaluator, type TrialSettings } from "./trial-evaluator.js";

/** What each search worker is started with. */
export interface TrialWorkerData {
  /** URL of this module (compiled), imported by the worker's bootstrap. */
  readonly moduleUrl: string;
  /** The prepared problem, cloned into the worker once. */
  readonly data: TrialData;
  /** Folds, metric, seed. */
  readonly settings: TrialSettings;
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

/** Builds the evaluator and answers each request on `port`. */
export function runTrialWorker(init: TrialWorkerData, port: MessagePort): void {
  let evaluator: TrialEvaluator;
  try {
    evaluator = new TrialEvaluator(init.data, init.settings);
  } catch (e) {
    port.postMessage({ fatal: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies TrialReply);
    return;
  }
  port.on("message", (request: TrialRequest) => {
    const result = evaluator.evaluateFold(request.proposal, request.fold);
    port.postMessage({ index: request.proposal.index, fold: request.fold, result } satisfies TrialReply);
  });
}
