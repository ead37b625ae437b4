import { availableParallelism } from "node:os";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import { KeelError } from "../../errors.js";
import type { CartResult } from "../tree/cart-builder.js";
import { type ForestTask, growOneTree, type SharedForestData } from "./forest-task.js";
import { workerModuleUrl } from "./worker-module.js";

/** Below this many row-trees (rows x trees), threads cost more to start than they save. */
const MIN_PARALLEL_WORK = 2_000_000;

// CommonJS evaluated in each worker: load the compiled worker module, report load errors too.
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
import(workerData.moduleUrl)
  .then((m) => m.runForestWorker(workerData))
  .catch((e) => {
    workerData.port.postMessage({ error: String((e && e.stack) || e) });
    Atomics.add(workerData.signal, 0, 1);
    Atomics.notify(workerData.signal, 0);
  });
`;

/** Number of threads for `nJobs` (-1 = every core; capped by the number of trees). */
export function resolveJobs(nJobs: number, nTrees: number): number {
  const cores = availableParallelism();
  const jobs = nJobs < 0 ? Math.max(1, cores + 1 + nJobs) : nJobs;
  return Math.max(1, Math.min(jobs, nTrees));
}

/**
 * Grows one tree per seed, on `jobs` worker threads when worthwhile. The ranked features and
 * target must be backed by SharedArrayBuffers (see `rankFeatures`' allocator) so workers read
 * them without copies. Blocking: the calling thread waits on an Atomics counter and reads the
 * results with `receiveMessageOnPort`, so `fit` stays synchronous like every Keel learner.
 * Results are in seed order and do not depend on `jobs`.
 */
export function growForest(shared: SharedForestData, seeds: readonly number[], jobs: number): CartResult[] {
  const tasks: ForestTask[] = seeds.map((seed, index) => ({ index, seed }));
  if (jobs <= 1 || shared.data.nRows * seeds.length < MIN_PARALLEL_WORK) {
    const grow = growOneTree(shared);
    return tasks.map(grow);
  }
  const moduleUrl = workerModuleUrl(import.meta.url, "forest-worker.js");
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const results: (CartResult | undefined)[] = new Array(seeds.length);
  const channels = Array.from({ length: jobs }, () => new MessageChannel());
  const workers = channels.map(
    (ch, w) =>
      new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          moduleUrl,
          shared,
          tasks: tasks.filter((t) => t.index % jobs === w),
          port: ch.port2,
          signal,
        },
        transferList: [ch.port2],
      }),
  );
  try {
    let received = 0;
    while (received < seeds.length) {
      const seen = Atomics.load(signal, 0);
      for (const ch of channels) {
        for (let msg = receiveMessageOnPort(ch.port1); msg; msg = receiveMessageOnPort(ch.port1)) {
          const m = msg.message as { index?: number; result?: CartResult; error?: string };
          if (m.error !== undefined)
            throw new KeelError("INTERNAL_ERROR", `Forest worker failed: ${m.error}`);
          results[m.index!] = m.result;
          received++;
        }
      }
      if (received < seeds.length) Atomics.wait(signal, 0, seen);
    }
  } finally {
    for (const w of workers) void w.terminate();
    for (const ch of channels) ch.port1.close();
  }
  return results as CartResult[];
}
