/**
 * Reproducible pipelines (DVC's dvc.yaml / dvc.lock model): keel.yaml `stages:`, keel.lock,
 * stage caching through the data cache, tracked runs per stage, status, DAG drawing, and
 * metrics/params diffs between the workspace, git revisions and runs.
 */
export {
  BUILTIN_STEPS,
  builtinInvocation,
  type CliCommandShape,
  type CommandCatalog,
} from "./builtin-steps.js";
export { describeReason, type Reason } from "./changed.js";
export {
  checkoutEverything,
  checkoutLockOutputs,
  checkoutOutputsAt,
  type OutputsCheckoutReport,
} from "./checkout-outputs.js";
export { diffMetrics, diffParams, type MetricChange, type ParamChange } from "./diff-values.js";
export { type LoadOptions, loadPipeline, type Pipeline } from "./load-pipeline.js";
export {
  formatLock,
  type LockedFile,
  type LockedStage,
  type Lockfile,
  parseLock,
  readLock,
} from "./lockfile.js";
export { type OpenPipeline, openPipeline } from "./open-pipeline.js";
export { LockfileCorruptedError, PipelineSpecError } from "./pipeline-errors.js";
export { buildGraph, type Edge, type PipelineGraph, selectStages } from "./pipeline-graph.js";
export { pipelineStatus, type StatusOptions } from "./pipeline-status.js";
export type { StageAction, StagePlan } from "./plan-stage.js";
export { dagAscii, dagJson, dagMermaid } from "./render-dag.js";
export { parseRevision, type Revision } from "./revision.js";
export {
  type RunPipelineOptions,
  type RunReport,
  type RunReporter,
  runPipeline,
  type StageOutcome,
  type StageResult,
} from "./run-pipeline.js";
export {
  type MetricsSnapshot,
  metricsAt,
  type ParamsSnapshot,
  paramsAt,
  type SnapshotContext,
} from "./snapshots.js";
export { gitReader, type SourceReader, workspaceReader } from "./source-reader.js";
export type { Dep, Output, Stage, StageCommand, StageParam } from "./stage.js";
