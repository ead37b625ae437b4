/**
 * Trials on a small pool of worker threads. The workers start at once (loading their modules
 * while the caller goes on) or come warm from an earlier search (worker-shelf.ts), get the
 * prepared data once in a message (typed arrays are structured-cloned; see
 * {@link WorkerPoolExecutor.load}), and then evaluate one FOLD of a trial per message: the folds
 * of the trials in flight queue for the workers in order, so a rung of one configuration still
 * keeps every worker busy. A stopped trial's workers are terminated (the trial reports KILLED);
 * a crashed one is replaced. On close, idle healthy workers go back on the shelf.
 */
import { setMaxListeners } from "node:events";
import type { Worker } from "node:worker_threads";
import { isKeelError, KeelError } from "../../errors.js";
import { workerModuleUrl } from "../../learn/ensemble/worker-module.js";
import type { Proposal } from "../strategies/strategy.js";
import { type FoldResult, summarizeFolds, type TrialData, type TrialSettings } from "./trial-evaluator.js";
import type { TrialExecutor, TrialRunResult } from "./trial-executor.js";
import type { TrialReply, TrialRequest, TrialWorkerData, TrialWorkerInit } from "./trial-worker.js";
import { shelveWorker, takeWorker } from "./worker-shelf.js";

// CommonJS evaluated in each worker: load the compiled worker module, report load errors too.
const WORKER_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
import(workerData.moduleUrl)
  .then((m) => m.runTrialWorker(workerData, parentPort))
  .catch((e) => parentPort.postMessage({ fatal: String((e && e.stack) || e) }));
`;

/** Dead idle workers replaced for one fold before the fold fails with the reason. */
const MAX_REPLACEMENTS = 2;

/** A fold that did not run: its trial was stopped, or an earlier fold already failed. */
type NotRun = "KILLED" | "SKIPPED";

/** Runs trials' folds on up to `size` worker threads; see the module comment. */
export class WorkerPoolExecutor implements TrialExecutor {
  /** Number of workers (and of trials the search loop keeps in flight). */
  readonly concurrency: number;
  readonly #boot: TrialWorkerData;
  #init: TrialWorkerInit | undefined;
  #folds = 0;
  #metric = "";
  readonly #all = new Set<Worker>();
  readonly #idle: Worker[] = [];
  readonly #waiting: { readonly fold: number; readonly take: (w: Worker | null) => void }[] = [];
  // Folds each worker has run: it holds their copied rows and binned data (see TrialEvaluator).
  readonly #foldsSeen = new Map<Worker, Set<number>>();
  // Why a worker is unusable (failed to start, crashed or exited while idle).
  readonly #broken = new Map<Worker, { fatal: boolean; why: string }>();
  // Removes this pool's standing listeners from a worker (before it goes back on the shelf).
  readonly #unwatch = new Map<Worker, () => void>();

  /** Takes `size` workers at once: new ones load their modules while the caller goes on. */
  constructor(size: number) {
    this.concurrency = size;
    this.#boot = { moduleUrl: trialWorkerUrl() };
    for (let i = 0; i < size; i++) this.#idle.push(this.#spawn());
  }

  /**
   * Sends the search's data to the workers (and to any started later); trials may run from now.
   * @param folds the evaluator's number of folds (`settings.cv` capped by the data).
   */
  load(data: TrialData, settings: TrialSettings, folds: number): this {
    if (this.#init) throw new KeelError("INTERNAL_ERROR", "The search workers already have their data");
    this.#folds = folds;
    this.#metric = settings.metric;
    this.#init = { init: { data, settings: { ...settings, innerJobs: 1 } } };
    for (const worker of this.#all) worker.postMessage(this.#init);
    return this;
  }

  /** See {@link TrialExecutor.run}; rejects only when a worker cannot start at all. */
  async run(proposal: Proposal, signal: AbortSignal): Promise<TrialRunResult> {
    if (!this.#init)
      throw new KeelError("INTERNAL_ERROR", "Search workers got a trial before their data (call load first)");
    const started = performance.now();
    // Every fold in flight listens for the stop: on the trial's own signal, so the caller's
    // (shared by all trials) gets one listener per trial, not one per fold, and Node does not
    // warn of a listener leak at --cv 10.
    const trial = new AbortController();
    setMaxListeners(this.#folds + 1, trial.signal);
    const stop = () => trial.abort();
    if (signal.aborted) trial.abort();
    else signal.addEventListener("abort", stop, { once: true });
    let failed = false;
    const results = await Promise.all(
      Array.from({ length: this.#folds }, async (_, fold) => {
        const r = await this.#runFold(proposal, fold, trial.signal, () => failed);
        if (typeof r !== "string" && "error" in r) failed = true;
        return r;
      }),
    ).finally(() => signal.removeEventListener("abort", stop));
    if (results.includes("KILLED"))
      return { status: "KILLED", fitTimeS: (performance.now() - started) / 1000 };
    return summarizeFolds(
      results.filter((r): r is FoldResult => typeof r !== "string"),
      this.#metric,
    );
  }

  /** One fold on the next free worker (in request order). */
  async #runFold(
    proposal: Proposal,
    fold: number,
    signal: AbortSignal,
    trialFailed: () => boolean,
  ): Promise<FoldResult | NotRun> {
    const worker = await this.#healthyWorker(fold, signal);
    if (worker === null) return "KILLED";
    if (typeof worker === "string") return { error: worker, fitTimeS: 0 };
    if (signal.aborted || trialFailed()) {
      this.#release(worker);
      return signal.aborted ? "KILLED" : "SKIPPED";
    }
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    return new Promise<FoldResult | NotRun>((resolve, reject) => {
      const finish = (healthy: boolean) => {
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        signal.removeEventListener("abort", onAbort);
        if (healthy) this.#release(worker);
        else this.#discard(worker);
      };
      const onMessage = (reply: TrialReply) => {
        if ("fatal" in reply) {
          finish(false);
          reject(
            new KeelError("INTERNAL_ERROR", `A search worker could not start: ${reply.fatal.split("\n")[0]}`),
          );
          return;
        }
        if (reply.index !== proposal.index || reply.fold !== fold) return;
        finish(true);
        resolve(reply.result);
      };
      const failed = (why: string) => {
        finish(false);
        resolve({ error: why, fitTimeS: seconds() });
      };
      const onError = (e: Error) => failed(`the search worker crashed: ${e.message}`);
      const onExit = (code: number) => failed(`the search worker exited with code ${code}`);
      const onAbort = () => {
        finish(false);
        resolve("KILLED");
      };
      worker.on("message", onMessage);
      worker.once("error", onError);
      worker.once("exit", onExit);
      signal.addEventListener("abort", onAbort, { once: true });
      worker.postMessage({ proposal, fold } satisfies TrialRequest);
    });
  }

  /**
   * A worker for `fold` that is fit to run it. One that died while idle (not this trial's doing)
   * is replaced, a few times at most (then: why it died); one that could not load its modules or
   * data ends the search. Null once `signal` aborts.
   */
  async #healthyWorker(fold: number, signal: AbortSignal): Promise<Worker | string | null> {
    for (let replaced = 0; ; replaced++) {
      const worker = await this.#acquire(fold, signal);
      if (worker === null) return null;
      const broken = this.#broken.get(worker);
      if (!broken) return worker;
      this.#discard(worker);
      if (broken.fatal)
        throw new KeelError("INTERNAL_ERROR", `A search worker could not start: ${broken.why}`);
      if (replaced === MAX_REPLACEMENTS) return broken.why;
    }
  }

  /**
   * Ends the pool: idle healthy workers go back on the shelf for the next search, any other
   * (still busy with a stopped fold, or broken) is terminated.
   */
  async close(): Promise<void> {
    const all = [...this.#all];
    const reusable = new Set(this.#idle.filter((w) => !this.#broken.has(w)));
    this.#all.clear();
    this.#idle.length = 0;
    this.#foldsSeen.clear();
    // Only shelved workers lose this pool's listeners: a terminated one keeps its error
    // listener, so a crash racing the termination is not an uncaught 'error' event.
    for (const w of reusable) this.#unwatch.get(w)?.();
    this.#unwatch.clear();
    await Promise.all(
      all.map((w) => (reusable.has(w) ? shelveWorker(this.#boot.moduleUrl, w) : w.terminate())),
    );
  }

  /**
   * An idle worker (preferably one that ran `fold` before), a new one while the pool is not
   * full, else the next one released; null once `signal` aborts.
   */
  #acquire(fold: number, signal: AbortSignal): Promise<Worker | null> {
    if (this.#idle.length > 0) {
      const at = this.#idle.findIndex((w) => this.#foldsSeen.get(w)?.has(fold));
      const worker = this.#idle.splice(at >= 0 ? at : this.#idle.length - 1, 1)[0]!;
      return Promise.resolve(this.#assign(worker, fold));
    }
    if (this.#all.size < this.concurrency) return Promise.resolve(this.#assign(this.#spawn(), fold));
    if (signal.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      const waiter = {
        fold,
        take: (w: Worker | null) => {
          signal.removeEventListener("abort", onAbort);
          resolve(w === null ? null : this.#assign(w, fold));
        },
      };
      const onAbort = () => {
        const at = this.#waiting.indexOf(waiter);
        if (at >= 0) this.#waiting.splice(at, 1);
        resolve(null);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.#waiting.push(waiter);
    });
  }

  #assign(worker: Worker, fold: number): Worker {
    const seen = this.#foldsSeen.get(worker) ?? new Set<number>();
    this.#foldsSeen.set(worker, seen.add(fold));
    return worker;
  }

  /**
   * Hands `worker` to a waiting fold, or parks it: among the next few waiting folds, the first
   * one it already ran (its data is at hand there), else the oldest. Looking only a few ahead
   * keeps folds in about the order they were asked for.
   */
  #release(worker: Worker): void {
    const seen = this.#foldsSeen.get(worker);
    const ahead = Math.min(this.#waiting.length, 2 * this.#folds);
    let at = 0;
    for (let i = 0; i < ahead; i++) {
      if (seen?.has(this.#waiting[i]!.fold)) {
        at = i;
        break;
      }
    }
    const next = this.#waiting.splice(at, 1)[0];
    if (next) next.take(worker);
    else this.#idle.push(worker);
  }

  /** Terminates `worker` (stopped or crashed) and starts a replacement for a waiting trial. */
  #discard(worker: Worker): void {
    this.#all.delete(worker);
    this.#unwatch.delete(worker);
    this.#broken.delete(worker);
    this.#foldsSeen.delete(worker);
    void worker.terminate();
    const next = this.#waiting.shift();
    if (next) next.take(this.#spawn());
  }

  /** A worker for this pool: a shelved one (warm) or a new one; it gets the data when loaded. */
  #spawn(): Worker {
    const worker = takeWorker(this.#boot.moduleUrl, WORKER_SOURCE, this.#boot);
    this.#all.add(worker);
    // Idle workers have no fold's listeners: remember what goes wrong until one is handed out.
    const broken = (fatal: boolean, why: string) => {
      if (this.#all.has(worker) && !this.#broken.has(worker)) this.#broken.set(worker, { fatal, why });
    };
    const onMessage = (reply: TrialReply) => {
      if ("fatal" in reply) broken(true, reply.fatal.split("\n")[0]!);
    };
    const onError = (e: Error) => broken(false, `the search worker crashed: ${e.message}`);
    const onExit = (code: number) => broken(false, `the search worker exited with code ${code}`);
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    this.#unwatch.set(worker, () => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
    });
    if (this.#init) worker.postMessage(this.#init);
    return worker;
  }
}

/** The compiled trial worker module, with the fix named when it is missing. */
function trialWorkerUrl(): string {
  try {
    return workerModuleUrl(import.meta.url, "trial-worker.js");
  } catch (e) {
    if (!isKeelError(e)) throw e;
    throw new KeelError(
      "INTERNAL_ERROR",
      "The search worker module (search/run/trial-worker.js) is not built: run `npm run build`, or search with --parallel 1",
    );
  }
}
