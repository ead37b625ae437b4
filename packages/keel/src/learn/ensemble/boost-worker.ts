/**
 * Worker-thread side of {@link ShardPool}: waits for each operation the calling thread
 * publishes, runs it on this thread's shards and counts itself done.
 */
import type { MessagePort } from "node:worker_threads";
import { CTL, OP, ShardExecutor, type SharedBoostData } from "./shard-executor.js";
import { waitChange } from "./shard-pool.js";

/** Data handed to each boosting worker (through `workerData`). */
export interface BoostWorkerData {
  /** The shared state. */
  readonly data: SharedBoostData;
  /** This worker's thread index (1..nThreads-1). */
  readonly thread: number;
  /** Where an error message goes. */
  readonly port: MessagePort;
}

/** Serves operations until {@link OP.EXIT}. */
export function runBoostWorker({ data, thread, port }: BoostWorkerData): void {
  const ctl = data.ctl;
  const exec = new ShardExecutor(data, thread);
  let seen = 0;
  for (;;) {
    waitChange(ctl, CTL.SEQ, seen);
    seen = Atomics.load(ctl, CTL.SEQ);
    if (ctl[CTL.OP] === OP.EXIT) return;
    try {
      exec.run();
    } catch (e) {
      port.postMessage(e instanceof Error ? (e.stack ?? e.message) : String(e));
      Atomics.store(ctl, CTL.ERR, 1);
    }
    Atomics.add(ctl, CTL.DONE, 1);
    Atomics.notify(ctl, CTL.DONE);
  }
}
