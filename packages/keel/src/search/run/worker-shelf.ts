/**
 * Search workers kept between the searches of one process, as joblib's reusable executor keeps
 * scikit-learn's: a worker thread costs a module load (~0.2-0.3 s) and its first folds run
 * while V8 compiles the learners (1.5-2x slower), which on a small table is most of a search.
 * A search returns its healthy, idle workers here; the next one takes them back warm. A shelved
 * worker has dropped its search's data (see trial-worker.ts), does not keep the process alive
 * (`unref`), and is terminated after {@link SHELF_IDLE_MS} unused.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/** How long a shelved worker waits for the next search before it is terminated. */
export const SHELF_IDLE_MS = 120_000;

/** Most workers kept at once (more would only hold memory on this machine's cores). */
const SHELF_SIZE = Math.max(2, availableParallelism());

/** Parent → worker: forget the search's data (the worker goes on the shelf). */
export interface TrialWorkerRelease {
  readonly release: true;
}

interface Shelved {
  readonly worker: Worker;
  readonly timer: NodeJS.Timeout;
  readonly forget: () => void;
}

/** Idle workers by the module they run. */
const shelves = new Map<string, Shelved[]>();

/**
 * A worker evaluating `source` (CommonJS, `eval`) with `workerData`: a shelved one that was
 * started with the same `key` (it is then already loaded), else a new one.
 */
export function takeWorker(key: string, source: string, workerData: unknown): Worker {
  const shelved = shelves.get(key)?.pop();
  if (shelved) {
    clearTimeout(shelved.timer);
    shelved.forget();
    shelved.worker.ref();
    return shelved.worker;
  }
  return new Worker(source, { eval: true, workerData });
}

/**
 * Parks an idle, healthy `worker` started with `key`: it is told to release its data, stops
 * holding the process open, and is terminated after `idleMs` unless a search takes it first.
 * Beyond the shelf's size it is terminated at once.
 */
export function shelveWorker(key: string, worker: Worker, idleMs = SHELF_IDLE_MS): void {
  const shelf = shelves.get(key) ?? [];
  if (shelf.length >= SHELF_SIZE) {
    void worker.terminate();
    return;
  }
  worker.postMessage({ release: true } satisfies TrialWorkerRelease);
  worker.unref();
  const drop = () => {
    const at = shelf.indexOf(entry);
    if (at >= 0) shelf.splice(at, 1);
  };
  const onGone = () => {
    clearTimeout(entry.timer);
    drop();
  };
  const entry: Shelved = {
    worker,
    timer: setTimeout(() => {
      drop();
      worker.off("exit", onGone);
      void worker.terminate();
    }, idleMs).unref(),
    forget: () => {
      worker.off("exit", onGone);
      worker.off("error", onGone);
    },
  };
  // A shelved worker that dies (out of memory, say) simply leaves the shelf.
  worker.once("exit", onGone);
  worker.once("error", onGone);
  shelf.push(entry);
  shelves.set(key, shelf);
}

/** Terminates every shelved worker now (to free their memory, or before a test checks threads). */
export async function closeShelvedWorkers(): Promise<void> {
  const all = [...shelves.values()].flat();
  shelves.clear();
  await Promise.all(
    all.map((s) => {
      clearTimeout(s.timer);
      s.forget();
      return s.worker.terminate();
    }),
  );
}

/** How many workers are shelved now (for tests and diagnostics). */
export function shelvedWorkerCount(): number {
  let n = 0;
  for (const s of shelves.values()) n += s.length;
  return n;
}
