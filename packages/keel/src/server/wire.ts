/**
 * Keel entities -> MLflow's JSON wire format (snake_case field names, as MLflow's
 * `message_to_json` writes them), and the few wire values that need converting back.
 *
 * Choices, matching MLflow's server:
 * - int64 fields (timestamps, steps, sizes) are JSON numbers: MLflow post-processes protobuf's
 *   JSON (which would quote them) so they come out as numbers.
 * - Doubles that JSON cannot express are written the way protobuf's JSON mapping writes them,
 *   which is what MLflow's server sends: the strings `"NaN"`, `"Infinity"` and `"-Infinity"`.
 *   MLflow's clients (protobuf `ParseDict`) read these back as floats.
 * - Unset optional scalars (a running run's `end_time`) are omitted, as protobuf omits them.
 *   Deviation: empty repeated fields are written as `[]` rather than omitted, so clients need no
 *   `?? []`; MLflow's own clients accept both.
 */
import type { FileInfo } from "../artifacts/artifact-store.js";
import type { DatasetSummary, DatasetUsage, DatasetVersion } from "../store/dataset-store.js";
import type {
  AliasEvent,
  Dataset,
  DatasetInput,
  Experiment,
  Metric,
  ModelVersion,
  RegisteredModel,
  Run,
  RunInfo,
  Tag,
} from "../store/entities.js";

/** A protobuf double as JSON: a number, or `"NaN"` / `"Infinity"` / `"-Infinity"`. */
export type WireDouble = number | "NaN" | "Infinity" | "-Infinity";

/** Write a double the way protobuf's JSON mapping (and so MLflow's server) does. */
export function toWireDouble(v: number): WireDouble {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "Infinity";
  if (v === Number.NEGATIVE_INFINITY) return "-Infinity";
  return v;
}

/** Read a protobuf-JSON double back into a number. */
export function fromWireDouble(v: WireDouble): number {
  if (v === "NaN") return Number.NaN;
  if (v === "Infinity") return Number.POSITIVE_INFINITY;
  if (v === "-Infinity") return Number.NEGATIVE_INFINITY;
  return v;
}

/** `{key, value}` tags and params. */
export function toWireTags(tags: readonly Tag[]): { key: string; value: string }[] {
  return tags.map((t) => ({ key: t.key, value: t.value }));
}

/** MLflow's `Metric`. */
export function toWireMetric(m: Metric) {
  return { key: m.key, value: toWireDouble(m.value), timestamp: m.timestamp, step: m.step };
}

/** MLflow's `RunInfo` (with the deprecated `run_uuid` alias old clients still read). */
export function toWireRunInfo(info: RunInfo) {
  return {
    run_id: info.runId,
    run_uuid: info.runId,
    run_name: info.runName,
    experiment_id: info.experimentId,
    user_id: info.userId,
    status: info.status,
    start_time: info.startTime,
    ...(info.endTime === null ? {} : { end_time: info.endTime }),
    artifact_uri: info.artifactUri,
    lifecycle_stage: info.lifecycleStage,
  };
}

/**
 * MLflow's `Dataset`, plus Keel's `version` (the `name@version` number) when known; MLflow
 * clients ignore the extra field.
 */
export function toWireDataset(d: Dataset) {
  return {
    name: d.name,
    digest: d.digest,
    source_type: d.sourceType,
    source: d.source,
    ...(d.schema === undefined ? {} : { schema: d.schema }),
    ...(d.profile === undefined ? {} : { profile: d.profile }),
    ...(d.version === undefined ? {} : { version: d.version }),
  };
}

/** MLflow's `DatasetInput`. */
export function toWireDatasetInput(input: DatasetInput) {
  return { tags: toWireTags(input.tags), dataset: toWireDataset(input.dataset) };
}

/** MLflow's `Run`: `info`, `data` (latest metrics, params, tags) and `inputs`. */
export function toWireRun(run: Run) {
  return {
    info: toWireRunInfo(run.info),
    data: {
      metrics: run.data.metrics.map(toWireMetric),
      params: toWireTags(run.data.params),
      tags: toWireTags(run.data.tags),
    },
    inputs: { dataset_inputs: run.inputs.datasetInputs.map(toWireDatasetInput) },
  };
}

/** MLflow's `Experiment`. */
export function toWireExperiment(e: Experiment) {
  return {
    experiment_id: e.experimentId,
    name: e.name,
    artifact_location: e.artifactLocation,
    lifecycle_stage: e.lifecycleStage,
    last_update_time: e.lastUpdateTime,
    creation_time: e.creationTime,
    tags: toWireTags(e.tags),
  };
}

/** MLflow's `ModelVersion`. */
export function toWireModelVersion(mv: ModelVersion) {
  return {
    name: mv.name,
    version: mv.version,
    creation_timestamp: mv.creationTimestamp,
    last_updated_timestamp: mv.lastUpdatedTimestamp,
    user_id: mv.userId,
    current_stage: mv.currentStage,
    description: mv.description,
    source: mv.source,
    run_id: mv.runId,
    run_link: mv.runLink,
    status: mv.status,
    status_message: mv.statusMessage,
    tags: toWireTags(mv.tags),
    aliases: [...mv.aliases],
  };
}

/** MLflow's `RegisteredModel`. */
export function toWireRegisteredModel(rm: RegisteredModel) {
  return {
    name: rm.name,
    creation_timestamp: rm.creationTimestamp,
    last_updated_timestamp: rm.lastUpdatedTimestamp,
    description: rm.description,
    latest_versions: rm.latestVersions.map(toWireModelVersion),
    tags: toWireTags(rm.tags),
    aliases: rm.aliases.map((a) => ({ alias: a.alias, version: a.version })),
  };
}

/** One alias move (Keel's registry extension; no MLflow message exists for it). */
export function toWireAliasEvent(e: AliasEvent) {
  return {
    name: e.name,
    alias: e.alias,
    from_version: e.fromVersion,
    to_version: e.toVersion,
    timestamp: e.timestamp,
    user_id: e.userId,
  };
}

/**
 * One dataset version (Keel's native API; MLflow has no such message): the entity's fields in
 * snake_case, unset optional fields omitted.
 */
export function toWireDatasetVersion(v: DatasetVersion) {
  return {
    name: v.name,
    version: v.version,
    digest: v.digest,
    size: v.size,
    file_count: v.fileCount,
    path: v.path,
    ...(v.schema === undefined ? {} : { schema: v.schema }),
    ...(v.profile === undefined ? {} : { profile: v.profile }),
    ...(v.gitCommit === undefined ? {} : { git_commit: v.gitCommit }),
    ...(v.description === undefined ? {} : { description: v.description }),
    created_at: v.createdAt,
    user_id: v.userId,
  };
}

/** A dataset name with its newest version (Keel's native API). */
export function toWireDatasetSummary(s: DatasetSummary) {
  return {
    name: s.name,
    latest_version: s.latestVersion,
    updated_at: s.updatedAt,
    version_count: s.versionCount,
  };
}

/**
 * Who used a dataset version (Keel's native API): MLflow's `RunInfo` and `ModelVersion`
 * messages. Each run also carries Keel's `parent_run_id` when it has one, since these answers
 * hold no run tags to find the `mlflow.parentRunId` tag in.
 */
export function toWireDatasetUsage(usage: DatasetUsage) {
  return {
    runs: usage.runs.map((info) => ({
      ...toWireRunInfo(info),
      ...(info.parentRunId === null ? {} : { parent_run_id: info.parentRunId }),
    })),
    model_versions: usage.modelVersions.map(toWireModelVersion),
  };
}

/** MLflow's `FileInfo`; `path` is given by the caller (run-relative or a basename). */
export function toWireFileInfo(f: FileInfo, path: string) {
  return { path, is_dir: f.isDir, ...(f.isDir || f.fileSize === undefined ? {} : { file_size: f.fileSize }) };
}

/** Adds `next_page_token` only when there is a next page, as protobuf omits unset fields. */
export function withPageToken<T extends object>(
  body: T,
  token: string | undefined,
): T & { next_page_token?: string } {
  return token ? { ...body, next_page_token: token } : body;
}
