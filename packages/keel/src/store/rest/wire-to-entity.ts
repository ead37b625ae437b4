/**
 * MLflow wire messages <-> Keel entities, both directions, in one place. Answers from a server
 * are checked for the fields that identify an entity; everything else gets MLflow's defaults.
 */
import { KeelError } from "../../errors.js";
import type { DatasetSummary, DatasetUsage, DatasetVersion, NewDatasetVersion } from "../dataset-store.js";
import {
  type AliasEvent,
  type Dataset,
  type DatasetInput,
  type Experiment,
  type LifecycleStage,
  type Metric,
  MODEL_STAGES,
  type ModelAlias,
  type ModelStage,
  type ModelVersion,
  type ModelVersionStatus,
  type Param,
  type RegisteredModel,
  RUN_STATUSES,
  type Run,
  type RunInfo,
  type Tag,
} from "../entities.js";
import type {
  WireAlias,
  WireAliasEvent,
  WireDataset,
  WireDatasetInput,
  WireDatasetSummary,
  WireDatasetUsage,
  WireDatasetVersion,
  WireExperiment,
  WireInt64,
  WireKeyValue,
  WireMetric,
  WireModelVersion,
  WireRegisteredModel,
  WireRun,
  WireRunInfo,
} from "./wire-types.js";

/** Tag MLflow uses to link a nested run to its parent (the wire RunInfo has no parent field). */
export const PARENT_RUN_ID_TAG = "mlflow.parentRunId";

const MODEL_VERSION_STATUSES: readonly ModelVersionStatus[] = [
  "PENDING_REGISTRATION",
  "FAILED_REGISTRATION",
  "READY",
];

// ---------------------------------------------------------------- wire -> entity

/** A key/value pair from the wire. */
export function tagFromWire(t: WireKeyValue): Tag {
  return { key: required(t.key, "tag.key"), value: t.value ?? "" };
}

/** A param from the wire. */
export function paramFromWire(p: WireKeyValue): Param {
  return { key: required(p.key, "param.key"), value: p.value ?? "" };
}

/** An experiment from the wire. */
export function experimentFromWire(e: WireExperiment | undefined): Experiment {
  if (e === undefined) throw badAnswer("experiment");
  return {
    experimentId: required(e.experiment_id, "experiment.experiment_id"),
    name: required(e.name, "experiment.name"),
    artifactLocation: e.artifact_location ?? "",
    lifecycleStage: lifecycleFromWire(e.lifecycle_stage),
    creationTime: int64(e.creation_time) ?? 0,
    lastUpdateTime: int64(e.last_update_time) ?? 0,
    tags: (e.tags ?? []).map(tagFromWire),
  };
}

/** A metric from the wire ("NaN" / "Infinity" / "-Infinity" become numbers). */
export function metricFromWire(m: WireMetric): Metric {
  return {
    key: required(m.key, "metric.key"),
    value: doubleFromWire(m.value),
    timestamp: int64(m.timestamp) ?? 0,
    step: int64(m.step) ?? 0,
  };
}

/** A run's info; `parentRunId` comes from the `mlflow.parentRunId` tag when the run has one. */
export function runInfoFromWire(info: WireRunInfo | undefined, tags: readonly Tag[] = []): RunInfo {
  if (info === undefined) throw badAnswer("run_info");
  const runId = required(info.run_id ?? info.run_uuid, "run_info.run_id");
  return {
    runId,
    runName: info.run_name ?? "",
    experimentId: required(info.experiment_id, "run_info.experiment_id"),
    userId: info.user_id ?? "",
    status: enumFromWire(info.status, RUN_STATUSES, "run_info.status"),
    startTime: int64(info.start_time) ?? 0,
    endTime: int64(info.end_time) ?? null,
    artifactUri: info.artifact_uri ?? "",
    lifecycleStage: lifecycleFromWire(info.lifecycle_stage),
    parentRunId: tags.find((t) => t.key === PARENT_RUN_ID_TAG)?.value ?? null,
  };
}

/** A whole run from the wire. */
export function runFromWire(r: WireRun | undefined): Run {
  if (r === undefined) throw badAnswer("run");
  const tags = (r.data?.tags ?? []).map(tagFromWire);
  return {
    info: runInfoFromWire(r.info, tags),
    data: {
      metrics: (r.data?.metrics ?? []).map(metricFromWire),
      params: (r.data?.params ?? []).map(paramFromWire),
      tags,
    },
    inputs: { datasetInputs: (r.inputs?.dataset_inputs ?? []).map(datasetInputFromWire) },
  };
}

/** A dataset input from the wire. */
export function datasetInputFromWire(d: WireDatasetInput): DatasetInput {
  return { dataset: datasetFromWire(d.dataset), tags: (d.tags ?? []).map(tagFromWire) };
}

/** A dataset from the wire; optional fields stay absent when the server left them out. */
function datasetFromWire(d: WireDataset | undefined): Dataset {
  if (d === undefined) throw badAnswer("dataset");
  const dataset: Dataset = {
    name: required(d.name, "dataset.name"),
    digest: required(d.digest, "dataset.digest"),
    sourceType: d.source_type ?? "",
    source: d.source ?? "",
  };
  if (d.schema !== undefined) dataset.schema = d.schema;
  if (d.profile !== undefined) dataset.profile = d.profile;
  const version = int64(d.version);
  if (version !== undefined) dataset.version = version;
  return dataset;
}

/** A model version from the wire. */
export function modelVersionFromWire(v: WireModelVersion | undefined): ModelVersion {
  if (v === undefined) throw badAnswer("model_version");
  return {
    name: required(v.name, "model_version.name"),
    version: required(v.version, "model_version.version"),
    creationTimestamp: int64(v.creation_timestamp) ?? 0,
    lastUpdatedTimestamp: int64(v.last_updated_timestamp) ?? 0,
    userId: v.user_id ?? "",
    currentStage: stageFromWire(v.current_stage),
    description: v.description ?? "",
    source: v.source ?? "",
    runId: v.run_id ?? "",
    runLink: v.run_link ?? "",
    status:
      v.status === undefined
        ? "READY"
        : enumFromWire(v.status, MODEL_VERSION_STATUSES, "model_version.status"),
    statusMessage: v.status_message ?? "",
    tags: (v.tags ?? []).map(tagFromWire),
    aliases: v.aliases ?? [],
  };
}

/** A registered model from the wire. */
export function registeredModelFromWire(m: WireRegisteredModel | undefined): RegisteredModel {
  if (m === undefined) throw badAnswer("registered_model");
  return {
    name: required(m.name, "registered_model.name"),
    creationTimestamp: int64(m.creation_timestamp) ?? 0,
    lastUpdatedTimestamp: int64(m.last_updated_timestamp) ?? 0,
    description: m.description ?? "",
    latestVersions: (m.latest_versions ?? []).map(modelVersionFromWire),
    tags: (m.tags ?? []).map(tagFromWire),
    aliases: (m.aliases ?? []).map(aliasFromWire),
  };
}

/** An alias from the wire. */
function aliasFromWire(a: WireAlias): ModelAlias {
  return { alias: required(a.alias, "alias.alias"), version: required(a.version, "alias.version") };
}

/** One alias move from the wire (Keel extension). */
export function aliasEventFromWire(e: WireAliasEvent): AliasEvent {
  return {
    name: required(e.name, "alias_event.name"),
    alias: required(e.alias, "alias_event.alias"),
    fromVersion: e.from_version ?? null,
    toVersion: e.to_version ?? null,
    timestamp: int64(e.timestamp) ?? 0,
    userId: e.user_id ?? "",
  };
}

/** A dataset version from Keel's native API; optional fields stay absent when the server left them out. */
export function datasetVersionFromWire(v: WireDatasetVersion | undefined): DatasetVersion {
  if (v === undefined) throw badAnswer("dataset_version");
  return {
    name: required(v.name, "dataset_version.name"),
    version: requiredInt(v.version, "dataset_version.version"),
    digest: required(v.digest, "dataset_version.digest"),
    size: int64(v.size) ?? 0,
    fileCount: int64(v.file_count) ?? 0,
    path: v.path ?? "",
    schema: v.schema,
    profile: v.profile,
    gitCommit: v.git_commit,
    description: v.description,
    createdAt: int64(v.created_at) ?? 0,
    userId: v.user_id ?? "",
  };
}

/** A dataset summary from Keel's native API. */
export function datasetSummaryFromWire(s: WireDatasetSummary): DatasetSummary {
  return {
    name: required(s.name, "dataset.name"),
    latestVersion: requiredInt(s.latest_version, "dataset.latest_version"),
    updatedAt: int64(s.updated_at) ?? 0,
    versionCount: int64(s.version_count) ?? 0,
  };
}

/** Dataset usage from Keel's native API (runs carry `parent_run_id` instead of tags). */
export function datasetUsageFromWire(u: WireDatasetUsage): DatasetUsage {
  return {
    runs: (u.runs ?? []).map((info) => ({
      ...runInfoFromWire(info),
      parentRunId: info.parent_run_id || null,
    })),
    modelVersions: (u.model_versions ?? []).map(modelVersionFromWire),
  };
}

// ---------------------------------------------------------------- entity -> wire

/** The body of Keel's `datasets/versions/create` (unset optional fields are dropped by the caller). */
export function newDatasetVersionToWire(v: NewDatasetVersion): Record<string, unknown> {
  return {
    name: v.name,
    digest: v.digest,
    size: v.size,
    file_count: v.fileCount,
    path: v.path,
    schema: v.schema,
    profile: v.profile,
    git_commit: v.gitCommit,
    description: v.description,
    user_id: v.userId,
  };
}

/** A tag, param or other key/value pair for the wire. */
export function keyValueToWire(t: Tag | Param): Required<WireKeyValue> {
  return { key: t.key, value: t.value };
}

/** A metric for the wire; non-finite values use proto3 JSON's spellings, as MLflow sends them. */
export function metricToWire(m: Metric): WireMetric {
  return { key: m.key, value: doubleToWire(m.value), timestamp: m.timestamp, step: m.step };
}

/** A dataset input for the wire. */
export function datasetInputToWire(d: DatasetInput): WireDatasetInput {
  const ds = d.dataset;
  const dataset: WireDataset = {
    name: ds.name,
    digest: ds.digest,
    source_type: ds.sourceType,
    source: ds.source,
  };
  if (ds.schema !== undefined) dataset.schema = ds.schema;
  if (ds.profile !== undefined) dataset.profile = ds.profile;
  if (ds.version !== undefined) dataset.version = ds.version;
  return { tags: d.tags.map(keyValueToWire), dataset };
}

// ---------------------------------------------------------------- scalars

/** int64 from proto3 JSON (number or decimal string); undefined when unset or unreadable. */
export function int64(v: WireInt64 | null | undefined): number | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** A double from proto3 JSON. */
function doubleFromWire(v: number | string | undefined): number {
  if (v === undefined) return 0;
  if (typeof v === "number") return v;
  if (v === "NaN") return Number.NaN;
  if (v === "Infinity") return Number.POSITIVE_INFINITY;
  if (v === "-Infinity") return Number.NEGATIVE_INFINITY;
  const n = Number(v);
  if (Number.isNaN(n)) throw badAnswer(`metric.value ${JSON.stringify(v)}`);
  return n;
}

/** A double for proto3 JSON: JSON has no NaN or Infinity. */
function doubleToWire(v: number): number | string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "Infinity";
  if (v === Number.NEGATIVE_INFINITY) return "-Infinity";
  return v;
}

/** "active" unless the server says "deleted". */
function lifecycleFromWire(v: string | undefined): LifecycleStage {
  return v === "deleted" ? "deleted" : "active";
}

/** A legacy stage; unknown spellings fall back to MLflow's canonical casing or "None". */
function stageFromWire(v: string | undefined): ModelStage {
  return MODEL_STAGES.find((s) => s.toLowerCase() === (v ?? "").toLowerCase()) ?? "None";
}

/** A string enum value from the wire, or INTERNAL_ERROR naming the field. */
function enumFromWire<T extends string>(v: string | undefined, allowed: readonly T[], field: string): T {
  if (v !== undefined && (allowed as readonly string[]).includes(v)) return v as T;
  throw badAnswer(`${field} ${JSON.stringify(v)} (expected one of ${allowed.join(", ")})`);
}

/** A field that identifies an entity: its absence means the answer is not MLflow's format. */
function required(v: string | undefined, field: string): string {
  if (v === undefined || v === "") throw badAnswer(field);
  return v;
}

/** An int64 that identifies an entity (a version number). */
function requiredInt(v: WireInt64 | undefined, field: string): number {
  const n = int64(v);
  if (n === undefined) throw badAnswer(field);
  return n;
}

/** The server's answer is not in MLflow's wire format. */
function badAnswer(what: string): KeelError {
  return new KeelError(
    "INTERNAL_ERROR",
    `The tracking server's answer lacks or garbles ${what}; is the tracking URI a Keel or MLflow 2.x server?`,
  );
}
