import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Matrix } from "../core/matrix.js";
import { binaryLossKernel } from "./binary-kernel.js";
import type { Objective } from "./lbfgs.js";

/** Rows below which a second thread costs more than it saves. */
export const PARALLEL_MIN_ROWS = 200_000;

/** A binary logistic objective plus the resources to release after the fit. */
export interface BinaryObjective {
  /** The objective for L-BFGS. */
  readonly objective: Objective;
  /** Stops the helper thread, if any. */
  close(): void;
}

// The worker runs the same kernel source. ctrl[0]: generation requested (-1 = stop);
// ctrl[1]: generation done (-1 = the worker failed); ctrl[2]: 1 once the worker is running.
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const kernel = ${binaryLossKernel.toString()};
const { data, labels, params, result, ctrl, n, d, start } = workerData;
const X = new Float64Array(data);
const y = new Int32Array(labels);
const w = new Float64Array(params);
const out = new Float64Array(result);
const c = new Int32Array(ctrl);
Atomics.store(c, 2, 1);
Atomics.notify(c, 2);
let seen = 0;
for (;;) {
  Atomics.wait(c, 0, seen);
  const gen = Atomics.load(c, 0);
  if (gen < 0) break;
  seen = gen;
  try {
    kernel(X, d, y, w, w[d], start, n, out);
    Atomics.store(c, 1, gen);
  } catch {
    Atomics.store(c, 1, -1);
  }
  Atomics.notify(c, 1);
}
`;

// How long to wait for the worker to start before computing everything on this thread.
const WORKER_START_MS = 10_000;

/**
 * The binary objective (sum of log losses + ||w||²/(2C)), computed on two threads for large
 * data: the rows are copied once into shared memory and a worker handles the second half of
 * every evaluation while this thread does the first, synchronously (Atomics.wait), so L-BFGS
 * stays a plain loop. Small data, or one core, runs on this thread alone.
 */
export function binaryObjective(X: Matrix, y: Int32Array, C: number, fitIntercept: boolean): BinaryObjective {
  const n = X.nRows;
  const d = X.nCols;
  const invC = 1 / C;
  const part = new Float64Array(d + 2);
  const w = new Float64Array(d);
  const finish = (
    params: Float64Array,
    grad: Float64Array,
    loss: number,
    gb: number,
    g: (j: number) => number,
  ) => {
    for (let j = 0; j < d; j++) {
      grad[j] = g(j) + params[j]! * invC;
      loss += 0.5 * params[j]! * params[j]! * invC;
    }
    grad[d] = fitIntercept ? gb : 0;
    return loss;
  };
  const parallel = n >= PARALLEL_MIN_ROWS && availableParallelism() >= 2;
  // Row-major copy (shared with the worker when there is one).
  const rows = new Float64Array(parallel ? new SharedArrayBuffer(n * d * 8) : new ArrayBuffer(n * d * 8));
  X.columns.forEach((col, j) => {
    for (let i = 0; i < n; i++) rows[i * d + j] = col[i]!;
  });
  if (!parallel) {
    return {
      objective: (params, grad) => {
        w.set(params.subarray(0, d));
        binaryLossKernel(rows, d, y, w, fitIntercept ? params[d]! : 0, 0, n, part);
        return finish(params, grad, part[0]!, part[1]!, (j) => part[2 + j]!);
      },
      close: () => undefined,
    };
  }
  const data = rows.buffer;
  const labels = new SharedArrayBuffer(n * 4);
  new Int32Array(labels).set(y);
  const sharedParams = new Float64Array(new SharedArrayBuffer((d + 1) * 8));
  const result = new SharedArrayBuffer((d + 2) * 8);
  const theirs = new Float64Array(result);
  const ctrl = new Int32Array(new SharedArrayBuffer(12));
  const mid = Math.floor(n / 2);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { data, labels, params: sharedParams.buffer, result, ctrl: ctrl.buffer, n, d, start: mid },
  });
  worker.unref();
  const sharedY = new Int32Array(labels);
  let generation = 0;
  let workerOk: boolean | null = null;
  // The worker's half: from the worker, or computed here when the worker is unavailable.
  const secondHalf = (): boolean => {
    if (workerOk === null)
      workerOk = Atomics.wait(ctrl, 2, 0, WORKER_START_MS) !== "timed-out" || ctrl[2] === 1;
    if (workerOk) {
      for (
        let seen = Atomics.load(ctrl, 1);
        seen !== generation && seen !== -1;
        seen = Atomics.load(ctrl, 1)
      ) {
        Atomics.wait(ctrl, 1, seen);
      }
      if (ctrl[1] === generation) return true;
      workerOk = false;
    }
    binaryLossKernel(rows, d, sharedY, sharedParams, sharedParams[d]!, mid, n, theirs);
    return false;
  };
  return {
    objective: (params, grad) => {
      sharedParams.set(params.subarray(0, d));
      sharedParams[d] = fitIntercept ? params[d]! : 0;
      generation++;
      if (workerOk !== false) {
        Atomics.store(ctrl, 0, generation);
        Atomics.notify(ctrl, 0);
      }
      binaryLossKernel(rows, d, sharedY, sharedParams, sharedParams[d]!, 0, mid, part);
      secondHalf();
      return finish(
        params,
        grad,
        part[0]! + theirs[0]!,
        part[1]! + theirs[1]!,
        (j) => part[2 + j]! + theirs[2 + j]!,
      );
    },
    close: () => {
      Atomics.store(ctrl, 0, -1);
      Atomics.notify(ctrl, 0);
    },
  };
}
