import type { Metric } from "../store/entities.js";

/** Writes one batch of one run's metrics (the tracker passes `store.logBatch`). */
export type MetricWriter = (runId: string, metrics: Metric[]) => Promise<void>;

/** Metrics that could not be written: the first error and how many metrics were lost. */
export interface FlushFailure {
  error: unknown;
  lost: number;
}

/**
 * Buffers metrics per run and writes them in batches of at most `maxBatch` through one writer,
 * one batch at a time (so each run's history arrives in logging order, and SQLite sees one
 * writer). A write is triggered when a run's buffer reaches `maxBatch`, after `intervalMs`, and
 * on {@link flush}. The interval timer is unref'd: it never keeps the process alive (the exit
 * hooks flush at `beforeExit`).
 *
 * Writes never reject into the void: a failed batch is dropped from the buffer and remembered
 * per run, for {@link takeFailure} to report (the tracker throws it from `end()` / `flush()`).
 *
 * @example
 * const buffer = new MetricBuffer((runId, metrics) => store.logBatch(runId, { metrics }), { maxBatch: 1000, intervalMs: 1000 });
 * buffer.add(runId, { key: "loss", value: 0.3, step: 1, timestamp: Date.now() });
 * await buffer.flush();
 */
export class MetricBuffer {
  readonly #write: MetricWriter;
  readonly #maxBatch: number;
  readonly #intervalMs: number;
  /** Run id -> metrics not yet handed to the writer, oldest first. */
  readonly #pending = new Map<string, Metric[]>();
  readonly #failures = new Map<string, FlushFailure>();
  #size = 0;
  #timer: NodeJS.Timeout | undefined;
  /** The last scheduled drain; new drains chain on it so writes never overlap. */
  #tail: Promise<void> = Promise.resolve();

  constructor(write: MetricWriter, options: { maxBatch: number; intervalMs: number }) {
    this.#write = write;
    this.#maxBatch = options.maxBatch;
    this.#intervalMs = options.intervalMs;
  }

  /** Metrics buffered and not yet handed to the writer. */
  get size(): number {
    return this.#size;
  }

  /** Buffer one metric; starts a write when the run's buffer is full, else arms the timer. */
  add(runId: string, metric: Metric): void {
    let list = this.#pending.get(runId);
    if (list === undefined) {
      list = [];
      this.#pending.set(runId, list);
    }
    list.push(metric);
    this.#size++;
    if (list.length >= this.#maxBatch) void this.flush();
    else this.#arm();
  }

  /**
   * Write everything buffered so far. Resolves once those metrics are written or have failed;
   * never rejects (see {@link takeFailure}).
   */
  flush(): Promise<void> {
    this.#disarm();
    const drained = this.#tail.then(() => this.#drain());
    this.#tail = drained;
    return drained;
  }

  /** The failure recorded for `runId` since the last call, if any (and forget it). */
  takeFailure(runId: string): FlushFailure | undefined {
    const failure = this.#failures.get(runId);
    this.#failures.delete(runId);
    return failure;
  }

  /** Every recorded failure by run id (and forget them). */
  takeFailures(): Map<string, FlushFailure> {
    const all = new Map(this.#failures);
    this.#failures.clear();
    return all;
  }

  /** Write batches until the buffer is empty, including metrics added while writing. */
  async #drain(): Promise<void> {
    for (;;) {
      const next = this.#pending.entries().next();
      if (next.done) return;
      const [runId, list] = next.value;
      const batch = list.splice(0, this.#maxBatch);
      if (list.length === 0) this.#pending.delete(runId);
      this.#size -= batch.length;
      try {
        await this.#write(runId, batch);
      } catch (error) {
        const failure = this.#failures.get(runId);
        if (failure === undefined) this.#failures.set(runId, { error, lost: batch.length });
        else failure.lost += batch.length;
      }
    }
  }

  /** Schedule a flush after the interval, unless one is scheduled. */
  #arm(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, this.#intervalMs);
    this.#timer.unref();
  }

  /** Cancel the scheduled flush. */
  #disarm(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
