/** Wire types of the server's answers the UI reads (MLflow's JSON messages and Keel's native ones). */

/** A `{key, value}` pair: params and tags. */
export interface KeyValue {
  key: string;
  value: string;
}

/** A metric value; JSON cannot hold NaN/Infinity, so the server sends those as strings. */
export type WireDouble = number | "NaN" | "Infinity" | "-Infinity";

/** One metric point. */
export interface WireMetric {
  key: string;
  value: WireDouble;
  timestamp: number;
  step: number;
}

/** MLflow's RunInfo. */
export interface RunInfo {
  run_id: string;
  run_name: string;
  experiment_id: string;
  user_id: string;
  status: string;
  start_time: number;
  end_time?: number;
  artifact_uri: string;
  lifecycle_stage: string;
  parent_run_id?: string;
}

/** MLflow's Dataset plus Keel's `version`. */
export interface WireDataset {
  name: string;
  digest: string;
  source_type: string;
  source: string;
  version?: number;
}

/** MLflow's Run. */
export interface Run {
  info: RunInfo;
  data: { metrics?: WireMetric[]; params?: KeyValue[]; tags?: KeyValue[] };
  inputs?: { dataset_inputs?: { tags?: KeyValue[]; dataset: WireDataset }[] };
}

/** MLflow's Experiment. */
export interface Experiment {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  creation_time: number;
  last_update_time: number;
  tags?: KeyValue[];
}

/** MLflow's ModelVersion. */
export interface ModelVersion {
  name: string;
  version: string;
  creation_timestamp: number;
  source: string;
  run_id?: string;
  status: string;
  description?: string;
  tags?: KeyValue[];
  aliases?: string[];
}

/** MLflow's RegisteredModel. */
export interface RegisteredModel {
  name: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  description?: string;
  latest_versions?: ModelVersion[];
  aliases?: { alias: string; version: string }[];
}

/** One alias move (Keel). */
export interface AliasEvent {
  alias: string;
  from_version: string | null;
  to_version: string | null;
  timestamp: number;
  user_id: string;
}

/** MLflow's FileInfo. */
export interface FileInfo {
  path: string;
  is_dir: boolean;
  file_size?: number;
}

/** A dataset name with its newest version (Keel). */
export interface DatasetSummary {
  name: string;
  latest_version: number;
  updated_at: number;
  version_count: number;
}

/** A dataset version (Keel). */
export interface DatasetVersion {
  name: string;
  version: number;
  digest: string;
  size: number;
  file_count: number;
  path: string;
  schema?: string;
  profile?: string;
  created_at: number;
  user_id: string;
  description?: string;
}

/** A histogram of a column profile. */
export interface Histogram {
  kind: "numeric" | "datetime";
  bins: { start: number; end: number; count: number }[];
}

/** One column of a dataset profile. */
export interface ColumnProfile {
  name: string;
  type: string;
  kind: string;
  count: number;
  missing: number;
  missingShare: number;
  distinct: number;
  min: number | string | null;
  max: number | string | null;
  mean: number | null;
  std: number | null;
  quantiles: Record<string, number | string | null> | null;
  histogram: Histogram | null;
  topCategories: { value: string; count: number }[] | null;
  warnings: { kind: string; message: string }[];
}

/** A full dataset profile. */
export interface DatasetProfile {
  rowCount: number;
  columnCount: number;
  columns: ColumnProfile[];
  warnings: { kind: string; column: string; message: string }[];
}

/** A before/after statistic. */
export interface Delta {
  a: number | null;
  b: number | null;
  delta: number | null;
}

/** `keel data diff` as data. */
export interface DataDiff {
  identical: boolean;
  kind: "folder" | "table" | "file";
  a: { name: string; version: number; digest: string; size: number };
  b: { name: string; version: number; digest: string; size: number };
  files?: { added: string[]; removed: string[]; changed: string[]; unchanged: number };
  table?: {
    rows: Delta;
    schema: {
      added: { name: string; type: string }[];
      removed: { name: string; type: string }[];
      retyped: { name: string; from: string; to: string }[];
    };
    rowChanges: { by: string; added: number; removed: number; changed?: number; unchanged: number };
    columns: { name: string; nullShare: Delta; distinct: Delta; mean: Delta }[];
  };
}

/** A version an endpoint routes to. */
export interface EndpointVersion {
  ref: string;
  model: string;
  version: string;
}

/** An endpoint's traffic policy. */
export interface TrafficPolicy {
  stable: EndpointVersion;
  previous?: EndpointVersion;
  candidate?: EndpointVersion;
  strategy?: string;
  canary?: { steps: number[]; intervalMs: number; maxErrorRate: number; maxP99Ms: number };
  canaryStep?: number;
  ab?: { split: number };
}

/** A stored endpoint. */
export interface Endpoint {
  name: string;
  policy: TrafficPolicy;
  revision: number;
  createdAt: number;
  updatedAt: number;
}

/** Figures of one version over a period. */
export interface VersionFigures {
  requests: number;
  errors: number;
  clientErrors: number;
  errorRate: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

/** One endpoint event. */
export interface EndpointEvent {
  seq: number;
  type: string;
  actor: string;
  message: string;
  time: number;
  revision: number;
  details?: Record<string, unknown>;
}

/** `keel endpoint status` as data. */
export interface EndpointStatus {
  endpoint: Endpoint;
  versions: {
    version: EndpointVersion;
    role: "stable" | "candidate" | "previous";
    trafficPercent: number;
    live?: { total: VersionFigures; window: VersionFigures; windowStartedAt: number };
    feedback?: { accuracy: number | null; labelled: number };
  }[];
  canary?: { step: number; steps: number[]; percent: number; stepStartedAt: number };
  server?: { pid: number; url: string; updatedAt: number; revision: number };
  events: EndpointEvent[];
}

/** One stage of the last pipeline run. */
export interface StageRun {
  name: string;
  runId: string;
  status: string;
  startTime: number;
  endTime: number | null;
  skipped: boolean;
  restored: boolean;
  command: string | null;
}

/** The last pipeline run with its graph. */
export interface PipelineRunView {
  run: RunInfo | null;
  stages: StageRun[];
  dag: {
    stages: { name: string; layer: number; deps: string[]; outs: string[] }[];
    edges: { from: string; to: string; paths: string[] }[];
  } | null;
}
