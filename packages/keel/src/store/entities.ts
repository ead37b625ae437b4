/**
 * Domain entities of the metadata store. They mirror MLflow's entities (camelCase here; the
 * server converts to MLflow's snake_case wire names at the edge). Times are ms since the epoch.
 * No Kysely row type ever leaves `store/`: implementations convert rows to these.
 */

/** Run lifecycle states, as MLflow names them. */
export const RUN_STATUSES = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"] as const;
/** One run state. */
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Whether an entity is live or soft-deleted. */
export type LifecycleStage = "active" | "deleted";

/** Which lifecycle stages a search returns. */
export type ViewType = "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";

/** A key/value tag (runs, experiments, models, versions, inputs). */
export interface Tag {
  key: string;
  value: string;
}

/** An experiment: a named group of runs. */
export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  creationTime: number;
  lastUpdateTime: number;
  tags: Tag[];
}

/** A metric measurement. History is append-only: the same key may be logged many times. */
export interface Metric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/** A run parameter. Write-once: logging the same value again is a no-op, another value an error. */
export interface Param {
  key: string;
  value: string;
}

/** Run metadata that is not params, metrics or tags. */
export interface RunInfo {
  runId: string;
  runName: string;
  experimentId: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  artifactUri: string;
  lifecycleStage: LifecycleStage;
  /** Parent run for nested runs (search trials, pipeline stages); also mirrored as tag `mlflow.parentRunId`. */
  parentRunId: string | null;
}

/** A run's latest metric values, params and tags. */
export interface RunData {
  /** Latest value per key (highest step, then latest timestamp, then highest value, as MLflow). */
  metrics: Metric[];
  params: Param[];
  tags: Tag[];
}

/** A dataset as MLflow's `Dataset` entity, plus Keel's version number when known. */
export interface Dataset {
  name: string;
  digest: string;
  sourceType: string;
  source: string;
  schema?: string | undefined;
  profile?: string | undefined;
  /** Keel dataset version (`name@version`), when the dataset is versioned by Keel. */
  version?: number | undefined;
}

/** A dataset used by a run, with input tags such as `mlflow.data.context` = train|test. */
export interface DatasetInput {
  dataset: Dataset;
  tags: Tag[];
}

/** A whole run. */
export interface Run {
  info: RunInfo;
  data: RunData;
  inputs: { datasetInputs: DatasetInput[] };
}

/** A page of results; pass `nextPageToken` back to get the next page. */
export interface Page<T> {
  items: T[];
  nextPageToken?: string | undefined;
}

/** Model version states, as MLflow names them. */
export type ModelVersionStatus = "PENDING_REGISTRATION" | "FAILED_REGISTRATION" | "READY";

/** Legacy MLflow stages (kept for client compatibility; aliases are the way forward). */
export const MODEL_STAGES = ["None", "Staging", "Production", "Archived"] as const;
/** One legacy stage. */
export type ModelStage = (typeof MODEL_STAGES)[number];

/** A version of a registered model. */
export interface ModelVersion {
  name: string;
  version: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  userId: string;
  currentStage: ModelStage;
  description: string;
  source: string;
  runId: string;
  runLink: string;
  status: ModelVersionStatus;
  statusMessage: string;
  tags: Tag[];
  aliases: string[];
}

/** An alias pointing at a version (`champion` -> 3). */
export interface ModelAlias {
  alias: string;
  version: string;
}

/** One recorded alias move: aliases are mutable, so every set/delete is kept. */
export interface AliasEvent {
  name: string;
  alias: string;
  /** Version the alias pointed at before the change, null when it was new. */
  fromVersion: string | null;
  /** Version it points at after the change, null when deleted. */
  toVersion: string | null;
  timestamp: number;
  userId: string;
}

/** A registered model: a named sequence of versions. */
export interface RegisteredModel {
  name: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description: string;
  /** Latest version per stage, as MLflow returns it. */
  latestVersions: ModelVersion[];
  tags: Tag[];
  aliases: ModelAlias[];
}
