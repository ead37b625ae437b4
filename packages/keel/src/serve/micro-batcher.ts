/**
 * Adaptive micro-batching: requests for one model version that arrive while the model is busy
 * are merged into one ONNX Runtime run, and each caller gets its own rows back. An idle model
 * runs a request at once (only requests of the same event-loop turn are merged), so light load
 * pays no added latency; under load, batches grow up to `maxBatchSize` rows, and a queued
 * request waits at most `maxWaitMs` before a second run starts beside the busy one.
 */
import { type ColumnarInput, concatColumns } from "./columnar-input.js";

/** Options of {@link MicroBatcher}. */
export interface MicroBatcherOptions<R> {
  /** Most rows merged into one run (a larger single request still runs alone). */
  readonly maxBatchSize: number;
  /** Longest a queued request waits while a run is in flight before another run starts. */
  readonly maxWaitMs: number;
  /**
   * Most runs in flight at once. onnxruntime-node 1.30 runs a session synchronously on the event
   * loop (inside a `setImmediate`), so a second run waits for the first; allowing two lets the
   * next batch be formed and handed over while the first is still queued.
   */
  readonly maxInFlight?: number;
  /** Runs one merged batch. */
  readonly run: (input: ColumnarInput) => Promise<R>;
  /** Rows `[start, end)` of a batch result. */
  readonly slice: (result: R, start: number, end: number) => R;
  /** Called with the row count of every batch run (metrics). */
  readonly onBatch?: (rows: number, requests: number) => void;
}

interface Pending<R> {
  readonly input: ColumnarInput;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/** Merges concurrent predictions into batched runs; see the module comment. */
export class MicroBatcher<R> {
  readonly #options: Required<Omit<MicroBatcherOptions<R>, "onBatch">> &
    Pick<MicroBatcherOptions<R>, "onBatch">;
  #queue: Pending<R>[] = [];
  #queuedRows = 0;
  #inFlight = 0;
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #idle: (() => void)[] = [];

  constructor(options: MicroBatcherOptions<R>) {
    this.#options = Object.freeze({ maxInFlight: 2, ...options });
  }

  /** Requests queued or running. */
  get pending(): number {
    return this.#queue.length + this.#inFlight;
  }

  /** Predicts `input` as part of the next batch. */
  submit(input: ColumnarInput): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ input, resolve, reject });
      this.#queuedRows += input.nRows;
      this.#schedule();
    });
  }

  /** Resolves once nothing is queued or running (graceful shutdown). */
  drain(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((done) => this.#idle.push(done));
  }

  #schedule(): void {
    if (this.#queuedRows >= this.#options.maxBatchSize) {
      this.#dispatch();
    } else if (this.#inFlight === 0) {
      // Idle: run at the end of this turn, merging whatever else this turn parsed.
      this.#immediate ??= setImmediate(() => this.#dispatch());
    } else {
      this.#timer ??= setTimeout(() => this.#dispatch(true), this.#options.maxWaitMs);
    }
  }

  #clearTimers(): void {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#timer = undefined;
    this.#immediate = undefined;
  }

  #dispatch(waitedLongEnough = false): void {
    this.#clearTimers();
    if (this.#queue.length === 0) return;
    const full = this.#queuedRows >= this.#options.maxBatchSize;
    // While a run is in flight, a partial batch keeps collecting until it waited maxWaitMs.
    if (this.#inFlight > 0 && !full && !waitedLongEnough) {
      this.#schedule();
      return;
    }
    if (this.#inFlight >= this.#options.maxInFlight) return;
    const batch = this.#take();
    this.#inFlight++;
    void this.#runBatch(batch).finally(() => {
      this.#inFlight--;
      if (this.#queue.length > 0) this.#dispatch(true);
      else if (this.#inFlight === 0) for (const done of this.#idle.splice(0)) done();
    });
    if (this.#queue.length > 0) this.#schedule();
  }

  // The oldest requests up to maxBatchSize rows (always at least one request).
  #take(): Pending<R>[] {
    let rows = 0;
    let n = 0;
    while (n < this.#queue.length) {
      const r = this.#queue[n]!.input.nRows;
      if (n > 0 && rows + r > this.#options.maxBatchSize) break;
      rows += r;
      n++;
    }
    const batch = this.#queue.splice(0, n);
    this.#queuedRows -= rows;
    return batch;
  }

  async #runBatch(batch: Pending<R>[]): Promise<void> {
    const input = concatColumns(batch.map((p) => p.input));
    this.#options.onBatch?.(input.nRows, batch.length);
    let result: R;
    try {
      result = await this.#options.run(input);
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    let start = 0;
    for (const p of batch) {
      const end = start + p.input.nRows;
      p.resolve(batch.length === 1 ? result : this.#options.slice(result, start, end));
      start = end;
    }
  }
}
