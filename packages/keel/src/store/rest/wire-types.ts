/**
 * MLflow REST API 2.0 messages as they travel (snake_case, proto3 JSON: unset fields and empty
 * lists are omitted, int64 may arrive as a number or a string). Every field is optional on
 * purpose; `wire-to-entity.ts` fills defaults and rejects answers missing an identity field.
 */

/** int64 in proto3 JSON: a number, or a decimal string. */
export type WireInt64 = number | string;

/** `RunTag`, `ExperimentTag`, `Param`, `InputTag`, `RegisteredModelTag`, `ModelVersionTag`. */
export interface WireKeyValue {
  key?: string;
  value?: string;
}

/** `Experiment`. */
export interface WireExperiment {
  experiment_id?: string;
  name?: string;
  artifact_location?: string;
  lifecycle_stage?: string;
  last_update_time?: WireInt64;
  creation_time?: WireInt64;
  tags?: WireKeyValue[];
}

/** `Metric`; a double that is NaN or infinite travels as "NaN", "Infinity", "-Infinity". */
export interface WireMetric {
  key?: string;
  value?: number | string;
  timestamp?: WireInt64;
  step?: WireInt64;
}

/** `RunInfo` (`run_uuid` is MLflow's deprecated twin of `run_id`). */
export interface WireRunInfo {
  run_id?: string;
  run_uuid?: string;
  run_name?: string;
  experiment_id?: string;
  user_id?: string;
  status?: string;
  start_time?: WireInt64;
  end_time?: WireInt64;
  artifact_uri?: string;
  lifecycle_stage?: string;
}

/** `RunData`. */
export interface WireRunData {
  metrics?: WireMetric[];
  params?: WireKeyValue[];
  tags?: WireKeyValue[];
}

/**
 * `Dataset`. MLflow has no dataset version; Keel sends its `name@version` number as the extra
 * field `version`, which MLflow servers ignore.
 */
export interface WireDataset {
  name?: string;
  digest?: string;
  source_type?: string;
  source?: string;
  schema?: string;
  profile?: string;
  version?: WireInt64;
}

/** `DatasetInput`. */
export interface WireDatasetInput {
  tags?: WireKeyValue[];
  dataset?: WireDataset;
}

/** `Run`. */
export interface WireRun {
  info?: WireRunInfo;
  data?: WireRunData;
  inputs?: { dataset_inputs?: WireDatasetInput[] };
}

/** `ModelVersion` (status is the enum's name, e.g. "READY"). */
export interface WireModelVersion {
  name?: string;
  version?: string;
  creation_timestamp?: WireInt64;
  last_updated_timestamp?: WireInt64;
  user_id?: string;
  current_stage?: string;
  description?: string;
  source?: string;
  run_id?: string;
  status?: string;
  status_message?: string;
  tags?: WireKeyValue[];
  run_link?: string;
  aliases?: string[];
}

/** `RegisteredModelAlias`. */
export interface WireAlias {
  alias?: string;
  version?: string;
}

/** `RegisteredModel`. */
export interface WireRegisteredModel {
  name?: string;
  creation_timestamp?: WireInt64;
  last_updated_timestamp?: WireInt64;
  user_id?: string;
  description?: string;
  latest_versions?: WireModelVersion[];
  tags?: WireKeyValue[];
  aliases?: WireAlias[];
}

/** One recorded alias move (Keel's registry extension; MLflow has no such message). */
export interface WireAliasEvent {
  name?: string;
  alias?: string;
  from_version?: string | null;
  to_version?: string | null;
  timestamp?: WireInt64;
  user_id?: string;
}

/** One dataset version (Keel's native API; MLflow has no such message). */
export interface WireDatasetVersion {
  name?: string;
  version?: WireInt64;
  digest?: string;
  size?: WireInt64;
  file_count?: WireInt64;
  path?: string;
  schema?: string;
  profile?: string;
  git_commit?: string;
  description?: string;
  created_at?: WireInt64;
  user_id?: string;
}

/** A dataset name with its newest version (Keel's native API). */
export interface WireDatasetSummary {
  name?: string;
  latest_version?: WireInt64;
  updated_at?: WireInt64;
  version_count?: WireInt64;
}

/** `RunInfo` in Keel's native answers, which add the parent run (they carry no run tags). */
export interface WireNativeRunInfo extends WireRunInfo {
  parent_run_id?: string;
}

/** Who used a dataset version (Keel's native API). */
export interface WireDatasetUsage {
  runs?: WireNativeRunInfo[];
  model_versions?: WireModelVersion[];
}
