/**
 * Worker-thread side of {@link growForest}: grows its share of a forest's trees on the shared
 * (read-only) ranked features and posts each finished tree back, transferring its buffers.
 */
import type { MessagePort } from "node:worker_threads";
import { type ForestTask, growOneTree, type SharedForestData, signalDone } from "./forest-task.js";

/** Data handed to each forest worker (through `workerData`). */
export interface ForestWorkerData {
  /** The shared training data and options. */
  readonly shared: SharedForestData;
  /** Trees this worker grows. */
  readonly tasks: readonly ForestTask[];
  /** Where results go (read synchronously by the parent). */
  readonly port: MessagePort;
  /** Counter the parent waits on (one increment per message). */
  readonly signal: Int32Array;
}

/** Grows every task and posts `{ index, result }` (or `{ error }`) for each. */
export function runForestWorker(data: ForestWorkerData): void {
  const { shared, tasks, port, signal } = data;
  try {
    const grow = growOneTree(shared);
    for (const task of tasks) {
      const result = grow(task);
      const t = result.tree;
      const transfer = [
        t.feature,
        t.threshold,
        t.left,
        t.right,
        t.missingLeft,
        t.value,
        t.weight,
        result.importances,
      ].map((a) => a.buffer as ArrayBuffer);
      port.postMessage({ index: task.index, result }, transfer);
      signalDone(signal);
    }
  } catch (e) {
    port.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    signalDone(signal);
  }
}
