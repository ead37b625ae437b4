/**
 * Keel's tracking client: one {@link Tracker} API for embedded stores (SQLite, PostgreSQL) and
 * remote `keel server`s (MLflow REST API 2.0).
 *
 * @example
 * const tracker = await Tracker.open();
 * await tracker.withRun({ runName: "baseline" }, async (run) => {
 *   await run.logParams({ model: "gbdt" });
 *   run.logMetric("auc", 0.91);
 * });
 * await tracker.close();
 */
export { ActiveRun, DATASET_CONTEXT_TAG, END_STATUSES, type EndStatus } from "./active-run.js";
export { type GitInfo, readGitInfo } from "./git-info.js";
export { openRunArtifactStore } from "./run-artifacts.js";
export {
  failStaleRuns,
  findStaleRuns,
  isProcessAlive,
  type StaleRun,
  type StaleRunCriteria,
} from "./stale-runs.js";
export { currentUser, SYSTEM_TAGS, systemTags } from "./system-tags.js";
export { Tracker } from "./tracker.js";
export {
  LOG_BATCH_LIMITS,
  type MetricOptions,
  type ParamValue,
  type StartRunOptions,
  TRACKER_DEFAULTS,
  type TrackerOptions,
} from "./tracker-config.js";
