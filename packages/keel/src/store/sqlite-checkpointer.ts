/**
 * WAL checkpoints on a worker thread, so that a busy writer does not wait for them.
 *
 * Why: in WAL mode SQLite copies the log back into the database file (a checkpoint) whenever the
 * log passes `wal_autocheckpoint` pages, inside the COMMIT that crossed the line. That copy ends in
 * two fsyncs, which block the committing thread, i.e. the server's event loop, for about as long
 * as the inserts themselves took. A PASSIVE checkpoint from another connection does the same copy
 * without taking the write lock, so it can run beside the writer on a second thread. Durability
 * does not change: a checkpoint only copies transactions that are already committed to the log.
 *
 * The worker starts only once a file has seen {@link BUSY_AFTER_COMMITS} commits (short CLI runs
 * and tests never pay for a thread), runs one checkpoint at a time, and is nudged after commits.
 * While it runs, the writer's own automatic checkpoint stays on with a higher threshold, as a
 * fallback that also bounds the log when the worker cannot keep up; if the worker fails, the
 * default threshold comes back.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";

/** Commits on a file before its checkpoint worker starts. */
const BUSY_AFTER_COMMITS = 200;
/** SQLite's default `wal_autocheckpoint`, restored when the worker is gone. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
/** The writer's own threshold while the worker checkpoints (about 40 MB of log with 4 KB pages). */
const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

// CommonJS, evaluated in the worker: open the file, checkpoint on each request, close on "close".
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true, timeout: workerData.timeoutMs });
parentPort.on("message", (message) => {
  if (message === "close") {
    db.close();
    parentPort.close();
    return;
  }
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // Busy or interrupted: the next nudge (or the writer's own fallback checkpoint) catches up.
  }
  parentPort.postMessage("done");
});
`;

/** Background checkpoints for one open database file of this process. */
export class SqliteCheckpointer {
  readonly #db: Database.Database;
  readonly #path: string;
  readonly #timeoutMs: number;
  #commits = 0;
  #worker: Worker | undefined;
  /** A checkpoint was requested and has not finished. */
  #busy = false;
  /** A commit happened while a checkpoint was running: run another one after it. */
  #again = false;
  /** The worker failed or the file is closing: never start one again. */
  #stopped = false;

  /** `db` is the process's writing connection to the WAL-mode file at absolute `path`. */
  constructor(db: Database.Database, path: string, timeoutMs: number) {
    this.#db = db;
    this.#path = path;
    this.#timeoutMs = timeoutMs;
  }

  /** Tell the checkpointer that a write transaction committed. Cheap; never throws. */
  committed(): void {
    if (this.#stopped) return;
    if (this.#worker === undefined) {
      if (++this.#commits < BUSY_AFTER_COMMITS) return;
      this.#start();
    }
    if (this.#busy) this.#again = true;
    else this.#request();
  }

  /** Stop the worker (after its current checkpoint) and give checkpoints back to the writer. */
  async close(): Promise<void> {
    this.#stopped = true;
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker === undefined) return;
    this.#setAutocheckpoint(DEFAULT_AUTOCHECKPOINT_PAGES);
    const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    // Referenced again while closing: otherwise a process with nothing else to do would exit
    // before the worker does, leaving this promise (and whoever awaits close) unsettled.
    worker.ref();
    worker.postMessage("close");
    await exited;
  }

  #start(): void {
    try {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          driver: createRequire(import.meta.url).resolve("better-sqlite3"),
          path: this.#path,
          timeoutMs: this.#timeoutMs,
        },
      });
      worker.unref();
      worker.on("message", () => this.#finished());
      worker.on("error", () => this.#fail());
      worker.on("exit", () => {
        if (this.#worker === worker) this.#fail();
      });
      this.#worker = worker;
      this.#setAutocheckpoint(FALLBACK_AUTOCHECKPOINT_PAGES);
    } catch {
      this.#fail();
    }
  }

  #request(): void {
    this.#busy = true;
    this.#again = false;
    this.#worker?.postMessage("checkpoint");
  }

  #finished(): void {
    this.#busy = false;
    if (this.#again && !this.#stopped) this.#request();
  }

  /** The worker is gone: the writer checkpoints by itself again, as SQLite does by default. */
  #fail(): void {
    this.#stopped = true;
    this.#worker = undefined;
    this.#busy = false;
    this.#setAutocheckpoint(DEFAULT_AUTOCHECKPOINT_PAGES);
  }

  #setAutocheckpoint(pages: number): void {
    if (this.#db.open) this.#db.pragma(`wal_autocheckpoint = ${pages}`);
  }
}
