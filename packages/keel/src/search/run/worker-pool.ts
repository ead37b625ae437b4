/**
 * Trials on a small pool of worker threads. Each worker gets the prepared data once, when it
 * starts (typed arrays are structured-cloned), and then evaluates one trial per message. A
 * stopped trial's worker is terminated (the trial reports KILLED); a crashed one is replaced.
 */
import { Worker } from "node:worker_threads";
import { isKeelError, KeelError } from "../../errors.js";
import { workerModuleUrl } from "../../learn/ensemble/worker-module.js";
import type { Proposal } from "../strategies/strategy.js";
import type { TrialData, TrialSettings } from "./trial-evaluator.js";
import type { TrialExecutor, TrialRunResult } from "./trial-executor.js";
import type { TrialReply, TrialRequest, TrialWorkerData } from "./trial-worker.js";

// CommonJS evaluated in each worker: load the compiled worker module, report load errors too.
const WORKER_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
import(workerData.moduleUrl)
  .then((m) => m.runTrialWorker(workerData, parentPort))
  .catch((e) => parentPort.postMessage({ fatal: String((e && e.stack) || e) }));
`;

/** Runs trials on up to `size` worker threads; see the module comment. */
export class WorkerPoolExecutor implements TrialExecutor {
  /** Number of workers. */
  readonly concurrency: number;
  readonly #init: TrialWorkerData;
  readonly #all = new Set<Worker>();
  readonly #idle: Worker[] = [];
  readonly #waiting: ((w: Worker) => void)[] = [];

  constructor(data: TrialData, settings: TrialSettings, size: number) {
    this.concurrency = size;
    this.#init = { moduleUrl: trialWorkerUrl(), data, settings: { ...settings, innerJobs: 1 } };
  }

  /** See {@link TrialExecutor.run}; rejects only when a worker cannot start at all. */
  async run(proposal: Proposal, signal: AbortSignal): Promise<TrialRunResult> {
    const worker = await this.#acquire();
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    if (signal.aborted) {
      this.#release(worker);
      return { status: "KILLED", fitTimeS: 0 };
    }
    return new Promise<TrialRunResult>((resolve, reject) => {
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
        if (reply.index !== proposal.index) return;
        finish(true);
        resolve(reply.outcome);
      };
      const failed = (why: string) => {
        finish(false);
        resolve({ status: "FAILED", metrics: {}, fitTimeS: seconds(), error: why });
      };
      const onError = (e: Error) => failed(`the search worker crashed: ${e.message}`);
      const onExit = (code: number) => failed(`the search worker exited with code ${code}`);
      const onAbort = () => {
        finish(false);
        resolve({ status: "KILLED", fitTimeS: seconds() });
      };
      worker.on("message", onMessage);
      worker.once("error", onError);
      worker.once("exit", onExit);
      signal.addEventListener("abort", onAbort, { once: true });
      worker.postMessage({ proposal } satisfies TrialRequest);
    });
  }

  /** Terminates every worker. */
  async close(): Promise<void> {
    const all = [...this.#all];
    this.#all.clear();
    this.#idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }

  /** An idle worker, a new one while the pool is not full, else the next one released. */
  #acquire(): Promise<Worker> {
    const idle = this.#idle.pop();
    if (idle) return Promise.resolve(idle);
    if (this.#all.size < this.concurrency) return Promise.resolve(this.#spawn());
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Hands `worker` to the next waiting trial, or parks it. */
  #release(worker: Worker): void {
    const next = this.#waiting.shift();
    if (next) next(worker);
    else this.#idle.push(worker);
  }

  /** Terminates `worker` (stopped or crashed) and starts a replacement for a waiting trial. */
  #discard(worker: Worker): void {
    this.#all.delete(worker);
    void worker.terminate();
    const next = this.#waiting.shift();
    if (next) next(this.#spawn());
  }

  #spawn(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: this.#init });
    this.#all.add(worker);
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
