/**
 * The prediction log writer. `log()` only pushes onto a bounded in-memory queue and returns: it
 * never blocks, awaits or throws into the request path. A background flush turns queued requests
 * into JSON lines (one per predicted row) appended to the current segment; a segment is rotated by
 * size or age and compacted to Parquet in the background. A full queue drops the request and
 * counts it; an I/O error drops that flush, is counted and reported, and the next flush retries.
 */
import { type FileHandle, mkdir, open } from "node:fs/promises";
import { join } from "node:path";
import type { Prediction } from "@keel/runtime";
import type { ColumnarInput } from "../columnar-input.js";
import { logTime, type PredictionRecord, SEGMENT_PREFIX } from "./log-schema.js";
import { ParquetCompactor } from "./parquet-compactor.js";

/** Options of {@link PredictionLogger}. */
export interface PredictionLoggerOptions {
  /** Folder of the log (created on first write). */
  readonly dir: string;
  /** Fraction of requests logged, 0..1 (default 1). */
  readonly sampleRate?: number;
  /** Most rows waiting in memory; beyond it requests are dropped and counted (default 100,000). */
  readonly maxQueuedRows?: number;
  /** Rotate the segment after this many bytes (default 64 MiB). */
  readonly maxSegmentBytes?: number;
  /** Rotate the segment after this long, in ms (default 15 minutes). */
  readonly maxSegmentAgeMs?: number;
  /** Flush period in ms (default 250). */
  readonly flushIntervalMs?: number;
  /** Compact closed segments to Parquet (default true). */
  readonly parquet?: boolean;
  /** Called on I/O errors (after counting them); default: silent. */
  readonly onError?: (error: unknown) => void;
}

/** One request to log. */
export interface PredictionEvent {
  /** Request id. */
  readonly requestId: string;
  /** Time the request arrived (epoch ms). */
  readonly receivedAt: number;
  /** Endpoint or served model name addressed. */
  readonly endpoint: string;
  /** Model name that answered. */
  readonly model: string;
  /** Version that answered. */
  readonly version: string;
  /** The validated input. */
  readonly input: ColumnarInput;
  /** Its prediction. */
  readonly prediction: Prediction;
  /** Latency in ms. */
  readonly latencyMs: number;
  /** A shadow copy (never returned). */
  readonly shadow?: boolean;
}

/** Counters of the logger, for metrics. */
export interface PredictionLogStats {
  /** Rows written to segments. */
  readonly written: number;
  /** Requests dropped because the queue was full. */
  readonly dropped: number;
  /** Requests skipped by sampling. */
  readonly sampledOut: number;
  /** I/O failures (flushes and compactions). */
  readonly errors: number;
  /** Rows waiting in memory. */
  readonly queuedRows: number;
}

const DEFAULTS = {
  sampleRate: 1,
  maxQueuedRows: 100_000,
  maxSegmentBytes: 64 * 1024 * 1024,
  maxSegmentAgeMs: 15 * 60_000,
  flushIntervalMs: 250,
  parquet: true,
};

/** The segment being appended to. */
interface OpenSegment {
  handle: FileHandle;
  path: string;
  bytes: number;
  openedAt: number;
}

// Flush early once this many rows wait, so one flush's string stays small.
const FLUSH_AT_ROWS = 4096;

/** JSON lines of one event: one line per row. */
export function eventLines(e: PredictionEvent): string {
  const names = Object.keys(e.input.columns);
  const p = e.prediction;
  const time = logTime(e.receivedAt);
  let out = "";
  for (let r = 0; r < p.nRows; r++) {
    const inputs: Record<string, unknown> = {};
    for (const n of names) inputs[n] = e.input.columns[n]![r] ?? null;
    let outputs: Record<string, unknown>;
    if (p.task === "regression") outputs = { prediction: p.values[r] };
    else {
      const k = p.classes.length;
      outputs = {
        label: p.labels[r],
        probabilities: Array.from(p.probabilities.subarray(r * k, (r + 1) * k)),
      };
    }
    const record: PredictionRecord = {
      request_id: e.requestId,
      row: r,
      time,
      endpoint: e.endpoint,
      model: e.model,
      version: e.version,
      inputs,
      outputs,
      latency_ms: e.latencyMs,
      shadow: e.shadow ?? false,
    };
    out += `${JSON.stringify(record)}\n`;
  }
  return out;
}

/** Appends predictions to a rotated, compacted log; see the module comment. */
export class PredictionLogger {
  readonly #o: Required<Omit<PredictionLoggerOptions, "onError">> & Pick<PredictionLoggerOptions, "onError">;
  readonly #compactor: ParquetCompactor;
  #queue: PredictionEvent[] = [];
  #queuedRows = 0;
  #written = 0;
  #dropped = 0;
  #sampledOut = 0;
  #errors = 0;
  #segment: OpenSegment | undefined;
  #seq = 0;
  #flushing: Promise<void> | undefined;
  #timer: NodeJS.Timeout;
  #closed = false;

  constructor(options: PredictionLoggerOptions) {
    this.#o = Object.freeze({ ...DEFAULTS, ...options });
    this.#compactor = new ParquetCompactor((e) => this.#fail(e));
    this.#timer = setInterval(() => void this.flush(), this.#o.flushIntervalMs);
    this.#timer.unref();
  }

  /** The log folder. */
  get dir(): string {
    return this.#o.dir;
  }

  /** Current counters. */
  get stats(): PredictionLogStats {
    return {
      written: this.#written,
      dropped: this.#dropped,
      sampledOut: this.#sampledOut,
      errors: this.#errors,
      queuedRows: this.#queuedRows,
    };
  }

  /** Queues one request's predictions; never throws, never waits. */
  log(event: PredictionEvent): void {
    if (this.#closed) return void this.#dropped++;
    if (this.#o.sampleRate < 1 && Math.random() >= this.#o.sampleRate) return void this.#sampledOut++;
    const rows = event.prediction.nRows;
    if (this.#queuedRows + rows > this.#o.maxQueuedRows) return void this.#dropped++;
    this.#queue.push(event);
    this.#queuedRows += rows;
    if (this.#queuedRows >= FLUSH_AT_ROWS && !this.#flushing) setImmediate(() => void this.flush());
  }

  /** Writes everything queued so far (one flush at a time); never rejects. */
  flush(): Promise<void> {
    if (this.#flushing) return this.#flushing.then(() => (this.#queue.length > 0 ? this.flush() : undefined));
    if (this.#queue.length === 0) return Promise.resolve();
    this.#flushing = this.#write().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  /** Closes the current segment now and queues it for Parquet compaction. */
  async rotate(): Promise<void> {
    await this.flush();
    await this.#closeSegment();
  }

  /** Flushes, closes the segment, finishes compaction, and stops; later `log` calls are dropped. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
    this.#closed = true;
    await this.#closeSegment();
    await this.#compactor.close();
  }

  async #write(): Promise<void> {
    const events = this.#queue;
    const rows = this.#queuedRows;
    this.#queue = [];
    this.#queuedRows = 0;
    let text = "";
    try {
      for (const e of events) text += eventLines(e);
      const seg = await this.#currentSegment();
      await seg.handle.appendFile(text);
      seg.bytes += Buffer.byteLength(text);
      this.#written += rows;
      if (seg.bytes >= this.#o.maxSegmentBytes || Date.now() - seg.openedAt >= this.#o.maxSegmentAgeMs) {
        await this.#closeSegment();
      }
    } catch (e) {
      this.#dropped += events.length;
      this.#fail(e);
      // The handle may be broken: start a new segment next time.
      await this.#closeSegment(false).catch(() => undefined);
    }
  }

  async #currentSegment(): Promise<OpenSegment> {
    if (this.#segment) return this.#segment;
    await mkdir(this.#o.dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(".", "");
    const path = join(this.#o.dir, `${SEGMENT_PREFIX}${stamp}-${process.pid}-${this.#seq++}.jsonl`);
    const handle = await open(path, "a");
    this.#segment = { handle, path, bytes: 0, openedAt: Date.now() };
    return this.#segment;
  }

  async #closeSegment(compact = true): Promise<void> {
    const seg = this.#segment;
    if (!seg) return;
    this.#segment = undefined;
    try {
      await seg.handle.close();
    } catch (e) {
      this.#fail(e);
    }
    if (compact && this.#o.parquet && seg.bytes > 0) this.#compactor.enqueue(seg.path);
  }

  #fail(e: unknown): void {
    this.#errors++;
    try {
      this.#o.onError?.(e);
    } catch {
      // A failing reporter must not break logging either.
    }
  }
}
