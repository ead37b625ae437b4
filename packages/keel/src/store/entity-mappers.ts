/** Row -> entity conversions: the only place where database rows become the entities of entities.ts. */
import type {
  AliasEvent,
  Dataset,
  Experiment,
  LifecycleStage,
  Metric,
  ModelAlias,
  ModelStage,
  ModelVersion,
  ModelVersionStatus,
  RegisteredModel,
  RunInfo,
  RunStatus,
  Tag,
} from "./entities.js";
import type {
  AliasHistoryRow,
  DatasetRow,
  ExperimentRow,
  MetricRow,
  ModelVersionRow,
  RegisteredModelRow,
  RunRow,
} from "./schema.js";

/** An experiment row and its tags. */
export function toExperiment(row: ExperimentRow, tags: Tag[]): Experiment {
  return {
    experimentId: String(row.experiment_id),
    name: row.name,
    artifactLocation: row.artifact_location,
    lifecycleStage: row.lifecycle_stage as LifecycleStage,
    creationTime: Number(row.creation_time),
    lastUpdateTime: Number(row.last_update_time),
    tags,
  };
}

/** A run row's info part. */
export function toRunInfo(row: RunRow): RunInfo {
  return {
    runId: row.run_uuid,
    runName: row.run_name,
    experimentId: String(row.experiment_id),
    userId: row.user_id,
    status: row.status as RunStatus,
    startTime: Number(row.start_time),
    endTime: row.end_time === null ? null : Number(row.end_time),
    artifactUri: row.artifact_uri,
    lifecycleStage: row.lifecycle_stage as LifecycleStage,
    parentRunId: row.parent_run_id,
  };
}

/** A metric row (history or latest); NaN comes back from the is_nan flag. */
export function toMetric(row: Pick<MetricRow, "key" | "value" | "timestamp" | "step" | "is_nan">): Metric {
  return {
    key: row.key,
    value: Number(row.is_nan) === 1 ? Number.NaN : Number(row.value),
    timestamp: Number(row.timestamp),
    step: Number(row.step),
  };
}

/** A dataset row. */
export function toDataset(row: DatasetRow): Dataset {
  const dataset: Dataset = {
    name: row.name,
    digest: row.digest,
    sourceType: row.dataset_source_type,
    source: row.dataset_source,
  };
  if (row.dataset_schema !== null) dataset.schema = row.dataset_schema;
  if (row.dataset_profile !== null) dataset.profile = row.dataset_profile;
  if (row.version !== null) dataset.version = Number(row.version);
  return dataset;
}

/** A model version row with its tags and the aliases pointing at it. */
export function toModelVersion(row: ModelVersionRow, tags: Tag[], aliases: string[]): ModelVersion {
  return {
    name: row.name,
    version: String(row.version),
    creationTimestamp: Number(row.creation_time),
    lastUpdatedTimestamp: Number(row.last_updated_time),
    userId: row.user_id ?? "",
    currentStage: row.current_stage as ModelStage,
    description: row.description ?? "",
    source: row.source,
    runId: row.run_id ?? "",
    runLink: row.run_link ?? "",
    status: row.status as ModelVersionStatus,
    statusMessage: row.status_message ?? "",
    tags,
    aliases,
  };
}

/** A registered model row with its latest versions, tags and aliases. */
export function toRegisteredModel(
  row: RegisteredModelRow,
  latestVersions: ModelVersion[],
  tags: Tag[],
  aliases: ModelAlias[],
): RegisteredModel {
  return {
    name: row.name,
    creationTimestamp: Number(row.creation_time),
    lastUpdatedTimestamp: Number(row.last_updated_time),
    description: row.description ?? "",
    latestVersions,
    tags,
    aliases,
  };
}

/** An alias history row. */
export function toAliasEvent(row: AliasHistoryRow): AliasEvent {
  return {
    name: row.name,
    alias: row.alias,
    fromVersion: row.from_version === null ? null : String(row.from_version),
    toVersion: row.to_version === null ? null : String(row.to_version),
    timestamp: Number(row.timestamp),
    userId: row.user_id,
  };
}
