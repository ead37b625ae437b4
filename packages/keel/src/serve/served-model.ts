/**
 * Model hosting: one loaded model version (an ONNX Runtime session through @keel/runtime) with
 * its own micro-batcher. Routing (which version answers a request) and HTTP live elsewhere, so
 * an endpoint can host several versions side by side and shift traffic between them.
 */
import { type KeelModel, loadModel, type Prediction, type Signature } from "@keel/runtime";
import type { ColumnarInput } from "./columnar-input.js";
import { type DecodeProblems, validateInput } from "./input-problems.js";
import { MicroBatcher } from "./micro-batcher.js";

/** Micro-batching limits (see {@link MicroBatcher}). */
export interface BatchingOptions {
  /** Most rows per ONNX Runtime run (default 64). */
  readonly maxBatchSize: number;
  /** Longest wait for more requests while the model is busy, in ms (default 2). */
  readonly maxWaitMs: number;
}

/** Defaults of {@link BatchingOptions}. */
export const BATCHING_DEFAULTS: BatchingOptions = Object.freeze({ maxBatchSize: 64, maxWaitMs: 2 });

/** How a hosted version is identified. */
export interface ServedModelIdentity {
  /** Model name clients use in URLs (the registered name, or the package's manifest name). */
  readonly name: string;
  /** Version label: the registry version, or "1" for a package served from a folder. */
  readonly version: string;
}

/** Options of {@link ServedModel.load}. */
export interface LoadServedModelOptions extends Partial<ServedModelIdentity> {
  /** Micro-batching limits. */
  readonly batching?: Partial<BatchingOptions>;
  /** Called per batch run with its rows and requests (metrics). */
  readonly onBatch?: (model: ServedModel, rows: number, requests: number) => void;
}

/** Rows `[start, end)` of a prediction. */
export function slicePrediction(p: Prediction, start: number, end: number): Prediction {
  if (p.task === "regression") return { ...p, nRows: end - start, values: p.values.subarray(start, end) };
  const k = p.classes.length;
  return {
    ...p,
    nRows: end - start,
    labels: p.labels.slice(start, end),
    classIndex: p.classIndex.subarray(start, end),
    probabilities: p.probabilities.subarray(start * k, end * k),
  };
}

/** A loaded model version ready to predict, with its micro-batcher. */
export class ServedModel implements ServedModelIdentity {
  /** Model name. */
  readonly name: string;
  /** Version label. */
  readonly version: string;
  /** Where the package was loaded from. */
  readonly source: string;
  readonly #model: KeelModel;
  readonly #batcher: MicroBatcher<Prediction>;
  #closed = false;

  private constructor(model: KeelModel, source: string, options: LoadServedModelOptions) {
    this.#model = model;
    this.source = source;
    this.name = options.name ?? model.manifest.name;
    this.version = options.version ?? "1";
    const batching = { ...BATCHING_DEFAULTS, ...options.batching };
    this.#batcher = new MicroBatcher<Prediction>({
      ...batching,
      run: (input) => model.predict(input.columns as Record<string, unknown[]>),
      slice: slicePrediction,
      onBatch: (rows, requests) => options.onBatch?.(this, rows, requests),
    });
  }

  /**
   * Loads (and verifies) the package in folder `dir`. The session runs each batch on one thread:
   * a server's concurrent requests (and its micro-batches) already keep the cores busy, and ONNX
   * Runtime's per-run thread pool only contended with them (bench/serve: +70-80% requests/s at
   * 16-64 connections on 2 cores).
   */
  static async load(dir: string, options: LoadServedModelOptions = {}): Promise<ServedModel> {
    return new ServedModel(await loadModel(dir, { intraOpThreads: 1 }), dir, options);
  }

  /** Wraps an already loaded model (apps that loaded it themselves). */
  static fromModel(model: KeelModel, options: LoadServedModelOptions = {}): ServedModel {
    return new ServedModel(model, "(in memory)", options);
  }

  /** The input/output signature. */
  get signature(): Signature {
    return this.#model.signature;
  }

  /** Task of the model. */
  get task(): "binary" | "multiclass" | "regression" {
    return this.#model.manifest.task;
  }

  /** Class labels in class-index order (classification), else empty. */
  get classes(): readonly (string | number | boolean)[] {
    return this.#model.manifest.classLabels ?? [];
  }

  /** True until {@link close} starts. */
  get ready(): boolean {
    return !this.#closed;
  }

  /**
   * Checks `input` against the signature (one error listing every problem, with any problems
   * the decoder found) and predicts it as part of the next micro-batch.
   */
  async predict(input: ColumnarInput, decoded?: DecodeProblems): Promise<Prediction> {
    validateInput(this.signature, input, decoded);
    return this.#batcher.submit(input);
  }

  /** Waits for queued and running predictions, then frees the session. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#batcher.drain();
    await this.#model.release();
  }
}
