/**
 * Kysely table types of the metadata database. Column names follow MLflow's schema where MLflow
 * has the concept; times are integers in ms since the epoch; booleans are 0/1 integers so both
 * backends read the same values. These row types never leave `store/`: entity-mappers.ts converts
 * them to the entities of entities.ts.
 */
import type { Generated, Kysely, Selectable } from "kysely";

/** `experiments`: a named group of runs. Id 0 is the "Default" experiment. */
export interface ExperimentsTable {
  experiment_id: Generated<number>;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  creation_time: number;
  last_update_time: number;
}

/** `experiment_tags`: one value per (experiment, key). */
export interface ExperimentTagsTable {
  experiment_id: number;
  key: string;
  value: string;
}

/** `runs`: run metadata (MLflow's `runs` table plus an explicit `parent_run_id`). */
export interface RunsTable {
  run_uuid: string;
  run_name: string;
  experiment_id: number;
  user_id: string;
  status: string;
  start_time: number;
  end_time: number | null;
  deleted_time: number | null;
  artifact_uri: string;
  lifecycle_stage: string;
  parent_run_id: string | null;
  source_type: string;
  source_name: string;
  entry_point_name: string;
  source_version: string;
}

/** `params`: write-once run parameters. */
export interface ParamsTable {
  run_uuid: string;
  key: string;
  value: string;
}

/**
 * `metrics`: the full, append-only history. NaN is stored as value 0 with `is_nan = 1`
 * (SQL has no portable NaN); ±Infinity is stored as is (both backends keep IEEE infinities).
 */
export interface MetricsTable {
  run_uuid: string;
  key: string;
  value: number;
  timestamp: number;
  step: number;
  is_nan: number;
}

/** `latest_metrics`: one row per (run, key), kept by MLflow's rule; searched and sorted on. */
export type LatestMetricsTable = MetricsTable;

/** `tags`: run tags, overwritten on write. */
export interface TagsTable {
  run_uuid: string;
  key: string;
  value: string;
}

/** `datasets`: one row per (experiment, name, digest). */
export interface DatasetsTable {
  dataset_uuid: string;
  experiment_id: number;
  name: string;
  digest: string;
  dataset_source_type: string;
  dataset_source: string;
  dataset_schema: string | null;
  dataset_profile: string | null;
  /** Keel dataset version (`name@version`), null when not versioned by Keel. */
  version: number | null;
}

/** `inputs`: edges from a source (a dataset) to a destination (a run). */
export interface InputsTable {
  input_uuid: string;
  source_type: string;
  source_id: string;
  destination_type: string;
  destination_id: string;
}

/** `input_tags`: tags of one input edge (e.g. `mlflow.data.context`). */
export interface InputTagsTable {
  input_uuid: string;
  name: string;
  value: string;
}

/** `registered_models`. */
export interface RegisteredModelsTable {
  name: string;
  creation_time: number;
  last_updated_time: number;
  description: string | null;
}

/** `registered_model_tags`. */
export interface RegisteredModelTagsTable {
  name: string;
  key: string;
  value: string;
}

/** `model_versions`: deleted versions stay as redacted rows so numbers are never reused (MLflow). */
export interface ModelVersionsTable {
  name: string;
  version: number;
  creation_time: number;
  last_updated_time: number;
  description: string | null;
  user_id: string | null;
  current_stage: string;
  source: string;
  run_id: string | null;
  run_link: string | null;
  status: string;
  status_message: string | null;
}

/** `model_version_tags`. */
export interface ModelVersionTagsTable {
  name: string;
  version: number;
  key: string;
  value: string;
}

/** `registered_model_aliases`: alias -> version, one row per (model, alias). */
export interface RegisteredModelAliasesTable {
  name: string;
  alias: string;
  version: number;
}

/** `alias_history`: every alias move, append-only. */
export interface AliasHistoryTable {
  id: Generated<number>;
  name: string;
  alias: string;
  from_version: number | null;
  to_version: number | null;
  timestamp: number;
  user_id: string;
}

/** `dataset_versions`: Keel's dataset versions (`name@version`), numbered per name. */
export interface DatasetVersionsTable {
  name: string;
  version: number;
  /** sha256 of the file, or of the folder's manifest. */
  digest: string;
  size: number;
  file_count: number;
  /** Root-relative path the version was added from. */
  path: string;
  /** Column schema JSON (tables only). */
  schema: string | null;
  /** Profile summary JSON (tables only). */
  profile: string | null;
  git_commit: string | null;
  description: string | null;
  created_at: number;
  user_id: string;
}

/** `endpoints`: a serving endpoint with its traffic policy (JSON) and revision. */
export interface EndpointsTable {
  name: string;
  policy: string;
  revision: number;
  created_at: number;
  updated_at: number;
}

/** `endpoint_events`: every change of an endpoint, append-only, numbered per endpoint. */
export interface EndpointEventsTable {
  endpoint: string;
  seq: number;
  revision: number;
  time: number;
  type: string;
  actor: string;
  message: string;
  /** JSON object of figures and versions, or null. */
  details: string | null;
}

/** The whole database, as Kysely sees it. */
export interface Database {
  experiments: ExperimentsTable;
  experiment_tags: ExperimentTagsTable;
  runs: RunsTable;
  params: ParamsTable;
  metrics: MetricsTable;
  latest_metrics: LatestMetricsTable;
  tags: TagsTable;
  datasets: DatasetsTable;
  inputs: InputsTable;
  input_tags: InputTagsTable;
  registered_models: RegisteredModelsTable;
  registered_model_tags: RegisteredModelTagsTable;
  model_versions: ModelVersionsTable;
  model_version_tags: ModelVersionTagsTable;
  registered_model_aliases: RegisteredModelAliasesTable;
  alias_history: AliasHistoryTable;
  dataset_versions: DatasetVersionsTable;
  endpoints: EndpointsTable;
  endpoint_events: EndpointEventsTable;
}

/** A Kysely instance or an open transaction over {@link Database}; helpers take one first. */
export type Executor = Kysely<Database>;

/** Which SQL backend a store runs on. */
export type SqlBackend = "sqlite" | "postgresql";

/** Selected rows, named for the mappers. */
export type ExperimentRow = Selectable<ExperimentsTable>;
/** A `runs` row. */
export type RunRow = Selectable<RunsTable>;
/** A `metrics` / `latest_metrics` row. */
export type MetricRow = Selectable<MetricsTable>;
/** A `datasets` row. */
export type DatasetRow = Selectable<DatasetsTable>;
/** A `registered_models` row. */
export type RegisteredModelRow = Selectable<RegisteredModelsTable>;
/** A `model_versions` row. */
export type ModelVersionRow = Selectable<ModelVersionsTable>;
/** An `alias_history` row. */
export type AliasHistoryRow = Selectable<AliasHistoryTable>;
/** A `dataset_versions` row. */
export type DatasetVersionRow = Selectable<DatasetVersionsTable>;
/** An `endpoints` row. */
export type EndpointRow = Selectable<EndpointsTable>;
/** An `endpoint_events` row. */
export type EndpointEventRow = Selectable<EndpointEventsTable>;
