import { stat } from "node:fs/promises";
import { stringify as toYaml } from "yaml";
import type { ArtifactStore } from "../artifacts/artifact-store.js";
import { datasetInputFromRef } from "../data/versioning/dataset-input.js";
import { invalidParam, isKeelError, KeelError } from "../errors.js";
import { chunked } from "../store/batching.js";
import type { Dataset, DatasetInput, Run, RunStatus, Tag } from "../store/entities.js";
import type { MetadataStore } from "../store/metadata-store.js";
import type { FlushFailure, MetricBuffer } from "./metric-buffer.js";
import {
  LOG_BATCH_LIMITS,
  type MetricOptions,
  type ParamValue,
  type StartRunOptions,
} from "./tracker-config.js";

/** Input tag MLflow uses for a dataset's role (train, test, eval). */
export const DATASET_CONTEXT_TAG = "mlflow.data.context";

/** Statuses a run can end with. */
export const END_STATUSES = ["FINISHED", "FAILED", "KILLED"] as const;
/** One of {@link END_STATUSES}. */
export type EndStatus = (typeof END_STATUSES)[number];

/** What an {@link ActiveRun} needs from the tracker that started it. */
export interface RunHost {
  /** The metadata store (embedded or REST). */
  readonly store: MetadataStore;
  /** The tracker's metric buffer. */
  readonly buffer: MetricBuffer;
  /** Open the artifact store of an artifact URI. */
  openArtifacts(artifactUri: string): Promise<ArtifactStore>;
  /** Start another run (for children). */
  startRun(options: StartRunOptions): Promise<ActiveRun>;
  /** Called once when the run has ended, successfully or not. */
  released(run: ActiveRun): void;
}

/**
 * A run being logged to, returned by {@link Tracker.startRun}. Params, tags, inputs and
 * artifacts are written when called (await them: a param overwrite fails right there). Metrics
 * are buffered and written in batches by the tracker: `logMetric` returns at once, and a failed
 * write surfaces from {@link end} or {@link flush}.
 *
 * @example
 * const run = await tracker.startRun({ runName: "baseline" });
 * await run.logParams({ lr: 0.1, depth: 6 });
 * for (let step = 0; step < 100; step++) run.logMetric("loss", 1 / (step + 1), { step });
 * await run.logDict({ features: ["a", "b"] }, "features.json");
 * await run.end();
 */
export class ActiveRun {
  /** Run id. */
  readonly id: string;
  /** Experiment id. */
  readonly experimentId: string;
  /** Run name. */
  readonly name: string;
  /** Where the run's artifacts live (`file://...`, `mlflow-artifacts:/...`). */
  readonly artifactUri: string;
  /** Parent run id for nested runs, else null. */
  readonly parentId: string | null;
  readonly #host: RunHost;
  #state: "running" | "ending" | "ended" = "running";
  #status: RunStatus = "RUNNING";
  #artifacts: Promise<ArtifactStore> | undefined;

  constructor(host: RunHost, run: Run) {
    this.#host = host;
    this.id = run.info.runId;
    this.experimentId = run.info.experimentId;
    this.name = run.info.runName;
    this.artifactUri = run.info.artifactUri;
    this.parentId = run.info.parentRunId;
  }

  /** RUNNING until {@link end}, then the status it ended with. */
  get status(): RunStatus {
    return this.#status;
  }

  /** True once {@link end} has been called. */
  get ended(): boolean {
    return this.#state !== "running";
  }

  /**
   * Log a param (write-once: the same value again is a no-op, another value fails with
   * INVALID_PARAMETER_VALUE). Numbers and booleans are stored as text, objects as JSON.
   *
   * @example
   * await run.logParam("learning_rate", 0.1);
   */
  async logParam(key: string, value: ParamValue): Promise<void> {
    await this.logParams({ [key]: value });
  }

  /**
   * Log several params, 100 per request (MLflow's limit).
   *
   * @example
   * await run.logParams({ model: "gbdt", n_estimators: 200 });
   */
  async logParams(params: Record<string, ParamValue>): Promise<void> {
    this.#assertOpen("logParams");
    const list = Object.entries(params).map(([key, value]) => ({ key, value: paramText(key, value) }));
    for (const chunk of chunked(list, LOG_BATCH_LIMITS.params)) {
      await this.#host.store.logBatch(this.id, { params: chunk });
    }
  }

  /**
   * Buffer one metric value; it reaches the store within about a second, when 1,000 are
   * buffered, or on {@link flush} / {@link end}. Throws at once on a bad key, value or step.
   *
   * @example
   * run.logMetric("val_auc", 0.91, { step: 3 });
   */
  logMetric(key: string, value: number, options: MetricOptions = {}): void {
    this.#assertOpen("logMetric");
    const step = options.step ?? 0;
    const timestamp = options.timestamp ?? Date.now();
    checkMetric(key, value, step, timestamp);
    this.#host.buffer.add(this.id, { key, value, step, timestamp });
  }

  /**
   * Buffer several metrics with the same step and timestamp.
   *
   * @example
   * run.logMetrics({ accuracy: 0.93, f1: 0.88 }, { step: 10 });
   */
  logMetrics(metrics: Record<string, number>, options: MetricOptions = {}): void {
    const timestamp = options.timestamp ?? Date.now();
    for (const [key, value] of Object.entries(metrics)) this.logMetric(key, value, { ...options, timestamp });
  }

  /**
   * Set (overwrite) a run tag.
   *
   * @example
   * await run.setTag("team", "fraud");
   */
  async setTag(key: string, value: string | number | boolean): Promise<void> {
    await this.setTags({ [key]: value });
  }

  /**
   * Set several tags, 100 per request.
   *
   * @example
   * await run.setTags({ team: "fraud", stage: "tuning" });
   */
  async setTags(tags: Record<string, string | number | boolean>): Promise<void> {
    this.#assertOpen("setTags");
    const list: Tag[] = Object.entries(tags).map(([key, value]) => ({ key, value: String(value) }));
    for (const chunk of chunked(list, LOG_BATCH_LIMITS.tags)) {
      await this.#host.store.logBatch(this.id, { tags: chunk });
    }
  }

  /**
   * Upload one local file to `artifactPath/<file name>` (the artifact root when omitted).
   *
   * @example
   * await run.logArtifact("out/confusion.png", "plots"); // -> plots/confusion.png
   */
  async logArtifact(localPath: string, artifactPath = ""): Promise<void> {
    this.#assertOpen("logArtifact");
    if ((await stat(localPath).catch(() => null))?.isDirectory()) {
      throw invalidParam(
        `logArtifact uploads one file, but ${JSON.stringify(localPath)} is a folder; use logArtifacts.`,
      );
    }
    await (await this.artifacts()).putLocal(localPath, artifactPath);
  }

  /**
   * Upload a local folder's contents (recursively) under `artifactPath`.
   *
   * @example
   * await run.logArtifacts("out/model", "model"); // out/model/model.onnx -> model/model.onnx
   */
  async logArtifacts(localDir: string, artifactPath = ""): Promise<void> {
    this.#assertOpen("logArtifacts");
    if (!(await stat(localDir).catch(() => null))?.isDirectory()) {
      throw invalidParam(
        `logArtifacts uploads a folder, but ${JSON.stringify(localDir)} is not one; use logArtifact for a file.`,
      );
    }
    await (await this.artifacts()).putLocal(localDir, artifactPath);
  }

  /**
   * Save text as the artifact `path` (UTF-8).
   *
   * @example
   * await run.logText("all good\n", "notes/summary.txt");
   */
  async logText(text: string, path: string): Promise<void> {
    this.#assertOpen("logText");
    await (await this.artifacts()).put(path, Buffer.from(text, "utf8"));
  }

  /**
   * Save an object as the artifact `path`: JSON, or YAML when the path ends in `.yaml`/`.yml`
   * (as MLflow's `log_dict` chooses by extension).
   *
   * @example
   * await run.logDict({ threshold: 0.42 }, "config.json");
   */
  async logDict(obj: unknown, path: string): Promise<void> {
    const text = /\.ya?ml$/i.test(path) ? toYaml(obj) : `${JSON.stringify(obj, null, 2)}\n`;
    await this.logText(text, path);
  }

  /**
   * Record a dataset the run used: a Keel dataset reference (`NAME@N`, `NAME@latest`, or a
   * tracked/plain data path, resolved with {@link datasetInputFromRef}), or an MLflow-shaped
   * Dataset/DatasetInput. `context` (train, test, eval...) becomes the input tag
   * `mlflow.data.context`, replacing one given in a DatasetInput.
   *
   * @example
   * await run.logInput("flights@3", "train");
   * await run.logInput({ name: "flights", digest: "ab12", sourceType: "local", source: "data/train.parquet" }, "test");
   */
  async logInput(dataset: string | Dataset | DatasetInput, context?: string): Promise<void> {
    this.#assertOpen("logInput");
    const resolved =
      typeof dataset === "string" ? await datasetInputFromRef(this.#host.store, dataset) : dataset;
    const input: DatasetInput =
      "dataset" in resolved
        ? { dataset: resolved.dataset, tags: [...resolved.tags] }
        : { dataset: resolved, tags: [] };
    if (context !== undefined) {
      input.tags = [
        ...input.tags.filter((t) => t.key !== DATASET_CONTEXT_TAG),
        { key: DATASET_CONTEXT_TAG, value: context },
      ];
    }
    await this.#host.store.logInputs(this.id, [input]);
  }

  /**
   * Start a nested run under this one (search trials, pipeline stages).
   *
   * @example
   * const trial = await run.startChild({ runName: "trial-1" });
   * await trial.end();
   */
  async startChild(options: Omit<StartRunOptions, "parent"> = {}): Promise<ActiveRun> {
    this.#assertOpen("startChild");
    return this.#host.startRun({ ...options, parent: this });
  }

  /**
   * Write this tracker's buffered metrics now; throws if some of this run's could not be stored.
   *
   * @example
   * run.logMetric("loss", 0.2);
   * await run.flush();
   */
  async flush(): Promise<void> {
    await this.#host.buffer.flush();
    const failure = this.#host.buffer.takeFailure(this.id);
    if (failure !== undefined) throw flushError(this.id, failure);
  }

  /**
   * End the run: flush its metrics, then set its status and end time. Calling it again is a
   * no-op. When buffered metrics could not be stored, the run still ends and the write error is
   * thrown afterwards (same code). The run is closed locally even if the store cannot be
   * updated; {@link Tracker.failStaleRuns} tidies such runs later.
   *
   * @example
   * await run.end();          // FINISHED
   * await other.end("FAILED");
   */
  async end(status: EndStatus = "FINISHED"): Promise<void> {
    if (this.#state !== "running") return;
    if (!(END_STATUSES as readonly string[]).includes(status)) {
      throw invalidParam(
        `Cannot end run ${this.id} with status ${JSON.stringify(status)}; use one of ${END_STATUSES.join(", ")}.`,
      );
    }
    this.#state = "ending";
    try {
      await this.#host.buffer.flush();
      const failure = this.#host.buffer.takeFailure(this.id);
      await this.#host.store.updateRun(this.id, { status, endTime: Date.now() });
      this.#status = status;
      if (failure !== undefined) throw flushError(this.id, failure);
    } finally {
      this.#state = "ended";
      this.#host.released(this);
    }
  }

  /** The run as stored now (params, latest metrics, tags, inputs). */
  async get(): Promise<Run> {
    return this.#host.store.getRun(this.id);
  }

  /** The artifact store rooted at this run's artifact URI (opened once). */
  artifacts(): Promise<ArtifactStore> {
    this.#artifacts ??= this.#host.openArtifacts(this.artifactUri);
    return this.#artifacts;
  }

  /** INVALID_STATE once the run has ended. */
  #assertOpen(what: string): void {
    if (this.#state !== "running") {
      throw new KeelError(
        "INVALID_STATE",
        `${what}: run ${this.id} has ended; start a new run (or a child run) to log more.`,
      );
    }
  }
}

/** A param value as MLflow stores it: text. */
function paramText(key: string, value: ParamValue): string {
  if (value === undefined) {
    throw invalidParam(`Param ${JSON.stringify(key)} is undefined; give a value or leave the key out.`);
  }
  if (typeof value === "string") return value;
  if (value === null || typeof value !== "object") return String(value);
  return JSON.stringify(value);
}

/** Reject what the store would reject anyway, at the call site rather than at flush time. */
function checkMetric(key: string, value: number, step: number, timestamp: number): void {
  if (typeof key !== "string" || key.trim() === "") {
    throw invalidParam(`Metric key must be a non-empty string; got ${JSON.stringify(key)}.`);
  }
  if (typeof value !== "number") {
    throw invalidParam(
      `Metric ${JSON.stringify(key)} must be a number; got ${typeof value}. Convert it with Number(...).`,
    );
  }
  if (!Number.isSafeInteger(step)) {
    throw invalidParam(`Metric ${JSON.stringify(key)}: step must be an integer; got ${step}.`);
  }
  if (!Number.isSafeInteger(timestamp)) {
    throw invalidParam(
      `Metric ${JSON.stringify(key)}: timestamp must be integer milliseconds since the epoch; got ${timestamp}.`,
    );
  }
}

/** The error for metrics that could not be stored, keeping the store's code. */
export function flushError(runId: string, failure: FlushFailure): KeelError {
  const e = failure.error;
  const code = isKeelError(e) ? e.code : "INTERNAL_ERROR";
  const why = e instanceof Error ? e.message : String(e);
  return new KeelError(
    code,
    `${failure.lost} buffered metric(s) of run ${runId} could not be stored: ${why}`,
    { cause: e },
  );
}
