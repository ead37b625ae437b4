import type { Tag } from "../store/entities.js";
import type { MetadataStore } from "../store/metadata-store.js";

/** Options of {@link Tracker.open}. Every field is optional; defaults follow the project. */
export interface TrackerOptions {
  /**
   * Where runs go: a SQLite path, `postgresql://...` or `http(s)://host:port` (a `keel server`).
   * Default: env `KEEL_TRACKING_URI`, then `tracking_uri` in keel.yaml (found by walking up from
   * `cwd`), then `.keel/keel.db` in the project root (keel.yaml's folder, else `cwd`).
   */
  trackingUri?: string | undefined;
  /**
   * Embedded mode only: where new experiments keep artifacts (folder path or `file://` URI).
   * Default: env `KEEL_ARTIFACT_ROOT`, keel.yaml `artifact_root`, then `.keel/artifacts`.
   * Remote mode ignores it: the server decides (usually `mlflow-artifacts:/`, its proxy).
   */
  artifactRoot?: string | undefined;
  /** Remote mode: bearer token. Default env `KEEL_TRACKING_TOKEN`. */
  token?: string | undefined;
  /** Experiment of runs started without one. Default env `KEEL_EXPERIMENT_NAME`, else "Default". */
  experiment?: string | undefined;
  /** Folder to start the keel.yaml search from. Default `process.cwd()`. */
  cwd?: string | undefined;
  /**
   * An already open store to use instead of opening one from the tracking URI (pipelines and
   * model search share their store this way). The tracker does not close it.
   */
  store?: MetadataStore | undefined;
  /** Buffered metrics are written at least this often, in ms. Default 1,000. */
  flushIntervalMs?: number | undefined;
  /** Metrics per `logBatch` call, and the buffer size that triggers a write. Default and max 1,000. */
  maxBatchSize?: number | undefined;
  /**
   * Flush and end open runs when the process ends: on `beforeExit` (status FINISHED, or FAILED
   * when `process.exitCode` is non-zero) and on SIGINT/SIGTERM (status KILLED, then the signal is
   * raised again). Default true.
   */
  handleProcessExit?: boolean | undefined;
}

/** Options of {@link Tracker.startRun}. */
export interface StartRunOptions {
  /** Experiment name (created when missing). Default: the tracker's experiment. */
  experiment?: string | undefined;
  /** Run name; the store picks a readable random one when absent. */
  runName?: string | undefined;
  /** Extra run tags, set at creation. */
  tags?: Record<string, string> | Tag[] | undefined;
  /**
   * Parent run (an open run or a run id) for a nested run. A child goes to its parent's
   * experiment unless `experiment` says otherwise.
   */
  parent?: { readonly id: string; readonly experimentId: string } | string | undefined;
}

/** A param value; numbers and booleans are stored as text, objects as JSON. */
export type ParamValue = string | number | boolean | bigint | null | undefined | object;

/** Options of {@link ActiveRun.logMetric} and {@link ActiveRun.logMetrics}. */
export interface MetricOptions {
  /** Training step (an integer). Default 0, as MLflow. */
  step?: number | undefined;
  /** Milliseconds since the epoch. Default: when the metric was logged. */
  timestamp?: number | undefined;
}

/** MLflow's per-request limits of `runs/log-batch`, honoured by the tracker's chunking. */
export const LOG_BATCH_LIMITS = Object.freeze({ metrics: 1000, params: 100, tags: 100 });

/** Defaults of {@link TrackerOptions}. */
export const TRACKER_DEFAULTS = Object.freeze({
  experiment: "Default",
  flushIntervalMs: 1000,
  maxBatchSize: LOG_BATCH_LIMITS.metrics,
});
