import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import { KeelError } from "../../errors.js";
import { CTL, OP, ShardExecutor, type SharedBoostData } from "./shard-executor.js";
import type { BoostKernels } from "./wasm/boost-kernels.js";
import type { SharedArena } from "./wasm/shared-arena.js";
import { workerModuleUrl } from "./worker-module.js";

// CommonJS evaluated in each worker: load the compiled worker module; a load error is reported
// through the control words so the waiting caller wakes up.
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
import(workerData.moduleUrl)
  .then((m) => m.runBoostWorker(workerData))
  .catch((e) => {
    workerData.port.postMessage(String((e && e.stack) || e));
    Atomics.store(workerData.data.ctl, ${CTL.ERR}, 1);
    Atomics.add(workerData.data.ctl, ${CTL.DONE}, 1);
    Atomics.notify(workerData.data.ctl, ${CTL.DONE});
  });
`;

/**
 * Loads spent polling a control word before sleeping on it (~50-100 µs): long enough to span the
 * calling thread's work between two operations, so workers rarely pay a futex wake-up.
 */
const SPIN = 50_000;

/** Waits until `ctl[index] !== value` (a short spin, then Atomics.wait). */
export function waitChange(ctl: Int32Array, index: number, value: number): void {
  for (let i = 0; i < SPIN; i++) if (Atomics.load(ctl, index) !== value) return;
  while (Atomics.load(ctl, index) === value) Atomics.wait(ctl, index, value, 1000);
}

/**
 * Runs shard operations on the calling thread plus `data.nThreads - 1` worker threads, one
 * barrier per operation: the caller publishes the operation, works its own shards, then waits
 * for the workers. Falls back to the calling thread alone when the compiled worker module is
 * missing (running from TypeScript sources without `npm run build`).
 */
export class ShardPool {
  /** The shared state (its `nThreads` is what the pool actually runs). */
  readonly data: SharedBoostData;
  /** The arena `data` was allocated in (the caller's histograms come from it too). */
  readonly arena: SharedArena;
  readonly #exec: ShardExecutor;
  readonly #workers: Worker[] = [];
  readonly #ports: MessagePort[] = [];
  #seq = 0;

  /** Starts the worker threads for `data`, allocated in `arena` (none when `data.nThreads` is 1). */
  constructor(data: SharedBoostData, arena: SharedArena) {
    this.arena = arena;
    let moduleUrl: string | null = null;
    if (data.nThreads > 1) {
      try {
        moduleUrl = workerModuleUrl(import.meta.url, "boost-worker.js");
      } catch {
        moduleUrl = null;
      }
    }
    this.data = moduleUrl ? data : { ...data, nThreads: 1 };
    this.#exec = new ShardExecutor(this.data, 0);
    for (let t = 1; t < this.data.nThreads; t++) {
      const ch = new MessageChannel();
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { moduleUrl, data: this.data, thread: t, port: ch.port2 },
        transferList: [ch.port2],
      });
      worker.unref();
      this.#workers.push(worker);
      this.#ports.push(ch.port1);
    }
  }

  /** The calling thread's kernels. */
  get kernels(): BoostKernels {
    return this.#exec.kernels;
  }

  /** Runs operation `op` (with `count` items for output `c`) on every shard and waits for it. */
  run(op: number, count = 0, c = 0, prepare = false): void {
    const ctl = this.data.ctl;
    ctl[CTL.OP] = op;
    ctl[CTL.COUNT] = count;
    ctl[CTL.CLASS] = c;
    ctl[CTL.PREPARE] = prepare ? 1 : 0;
    this.#seq++;
    if (this.#workers.length > 0) {
      Atomics.store(ctl, CTL.SEQ, this.#seq);
      Atomics.notify(ctl, CTL.SEQ);
    }
    this.#exec.run();
    const expected = this.#seq * this.#workers.length;
    for (let done = Atomics.load(ctl, CTL.DONE); done < expected; done = Atomics.load(ctl, CTL.DONE)) {
      if (Atomics.load(ctl, CTL.ERR) === 1) this.#fail();
      waitChange(ctl, CTL.DONE, done);
    }
    if (Atomics.load(ctl, CTL.ERR) === 1) this.#fail();
  }

  /** Stops the worker threads. */
  close(): void {
    if (this.#workers.length === 0) return;
    this.data.ctl[CTL.OP] = OP.EXIT;
    Atomics.store(this.data.ctl, CTL.SEQ, ++this.#seq);
    Atomics.notify(this.data.ctl, CTL.SEQ);
    for (const w of this.#workers) void w.terminate();
    for (const p of this.#ports) p.close();
    this.#workers.length = 0;
  }

  #fail(): never {
    const messages = this.#ports.map((p) => receiveMessageOnPort(p)?.message).filter((m) => m !== undefined);
    this.close();
    throw new KeelError(
      "INTERNAL_ERROR",
      `Boosting worker failed: ${messages.join("; ") || "unknown error"}`,
    );
  }
}
