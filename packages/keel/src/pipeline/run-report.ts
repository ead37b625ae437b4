/** What `keel run` reports: per-stage outcomes and progress events. */
import type { Reason } from "./changed.js";
import type { StreamName } from "./exec-stage.js";
import type { StageAction } from "./plan-stage.js";

/** What happened to a stage. */
export type StageResult =
  | "ran"
  | "skipped"
  | "restored"
  | "failed"
  | "not-run"
  | "would-run"
  | "would-restore";

/** One stage's outcome. */
export interface StageOutcome {
  readonly name: string;
  readonly result: StageResult;
  /** Why it ran, was restored, or would be. */
  readonly reasons: readonly Reason[];
  /** Wall time from start to end (0 for dry runs). */
  readonly durationMs: number;
  /** Epoch ms when it started and ended (dry runs: absent). */
  readonly startedAt?: number;
  readonly endedAt?: number;
  /** Exit code of a command that ran (null: killed by a signal). */
  readonly exitCode?: number | null;
  /** Why it failed. */
  readonly error?: string;
  /** The failed stage that kept this one from running. */
  readonly blockedBy?: string;
  /** Outputs restored from the cache. */
  readonly restored?: readonly string[];
  /** Its tracked run. */
  readonly runId?: string;
}

/** The result of {@link runPipeline}. */
export interface RunReport {
  /** The pipeline's tracked run (null when untracked or a dry run). */
  readonly runId: string | null;
  /** Every selected stage, in topological order. */
  readonly stages: readonly StageOutcome[];
  /** Names of failed stages. */
  readonly failed: readonly string[];
  readonly warnings: readonly string[];
}

/** Progress events, for the terminal. */
export interface RunReporter {
  /** A stage was decided: it starts running, is restored or skipped. */
  stageStarted?(
    name: string,
    action: StageAction,
    reasons: readonly Reason[],
    index: number,
    total: number,
  ): void;
  stageFinished?(outcome: StageOutcome, index: number, total: number): void;
  /** Output of a running command. */
  output?(stage: string, stream: StreamName, chunk: Buffer): void;
}
