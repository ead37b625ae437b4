/** Settings of a watch (`keel monitor watch`), shared by one check and the schedule. */
import type { ModelSource } from "../../learn/train/fetch-model-package.js";
import type { DetectorChoice } from "./concept-monitor.js";
import type { AlertRetry } from "./webhook-alert.js";

/** Everything one check needs to know. */
export interface WatchConfig {
  /** Endpoint (or served model) whose prediction log is watched. */
  readonly endpoint: string;
  /** Reference data: `NAME@N`, `NAME@latest` or a file. */
  readonly reference: string;
  /** Each check reads the predictions of the last `windowMs`. */
  readonly windowMs: number;
  /** The window as the user wrote it (`24h`), for the run's params. */
  readonly windowText?: string;
  /** Prediction log folder of the endpoint. */
  readonly logDir: string;
  /** Where the watch state and caches live (`.keel/monitor/<endpoint>/`). */
  readonly stateDir: string;
  /** Project root: the `--on-drift` command runs there. */
  readonly projectRoot: string;
  /** Reference column holding the ground truth, compared with feedback labels (target drift). */
  readonly target?: string;
  /** Share of drifted features meaning dataset drift (default 0.5). */
  readonly driftShare?: number;
  /** Concept-drift detectors. */
  readonly detector: DetectorChoice;
  /** Webhook URLs alerted once per drift episode. */
  readonly alerts?: readonly string[];
  /** Alert retries and timeouts. */
  readonly alertRetry?: AlertRetry;
  /** Command run once per drift episode (`/bin/sh -c`, in the project root). */
  readonly onDrift?: string;
  /** Time limit of the command (default none). */
  readonly onDriftTimeoutMs?: number;
  /** Experiment of the check runs (default `monitor-<endpoint>`). */
  readonly experiment?: string;
  /**
   * Registry and endpoint store: the endpoint's stable version predicts the reference for
   * prediction drift (skipped when absent or when the endpoint is unknown there).
   */
  readonly modelSource?: ModelSource;
}

/** The experiment check runs go to. */
export function watchExperiment(config: Pick<WatchConfig, "endpoint" | "experiment">): string {
  return config.experiment ?? `monitor-${config.endpoint}`;
}

/** Tag keys of check runs. */
export const WATCH_TAGS = Object.freeze({
  command: "keel.command",
  endpoint: "keel.endpoint",
  episode: "keel.drift.episode",
  verdict: "keel.drift.verdict",
});

/** `keel.command` of check runs. */
export const WATCH_COMMAND = "monitor-watch";
