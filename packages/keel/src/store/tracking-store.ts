import type {
  DatasetInput,
  Experiment,
  Metric,
  Page,
  Param,
  Run,
  RunInfo,
  RunStatus,
  Tag,
  ViewType,
} from "./entities.js";

/** Options for {@link TrackingStore.searchRuns}. */
export interface SearchRunsOptions {
  experimentIds: string[];
  /**
   * MLflow's filter grammar: clauses joined by AND (no OR), e.g.
   * `metrics.acc > 0.9 and params.model = 'gbdt' and tags.team LIKE 'a%' and attributes.status = 'FINISHED'`.
   * Entities: `metrics.`, `params.`, `tags.`, `attributes.` (run_id, run_name, status, user_id,
   * start_time, end_time, artifact_uri), `datasets.` (name, digest, context). Names may be quoted
   * with double quotes or backticks (`metrics."model class"`). Numbers compare with `= != < <= > >=`;
   * strings with `= != LIKE ILIKE`; `attributes.run_id IN ('a','b')` and `NOT IN`.
   * Parse errors are INVALID_PARAMETER_VALUE naming the position and the token.
   */
  filter?: string | undefined;
  runViewType?: ViewType | undefined;
  /** Default 1000; at most 50,000. */
  maxResults?: number | undefined;
  /**
   * E.g. `["metrics.rmse ASC", "params.lr DESC", "attributes.start_time"]`; ties are broken by
   * start_time DESC then run_id, as MLflow does.
   */
  orderBy?: string[] | undefined;
  pageToken?: string | undefined;
}

/** Options for {@link TrackingStore.searchExperiments}. */
export interface SearchExperimentsOptions {
  viewType?: ViewType | undefined;
  maxResults?: number | undefined;
  /** Filter on `attributes.name`, `attributes.creation_time`, `attributes.last_update_time`, `tags.`. */
  filter?: string | undefined;
  /** Default `creation_time DESC, experiment_id ASC`. */
  orderBy?: string[] | undefined;
  pageToken?: string | undefined;
}

/** Options for {@link TrackingStore.createRun}. */
export interface CreateRunOptions {
  experimentId: string;
  userId?: string | undefined;
  startTime?: number | undefined;
  runName?: string | undefined;
  tags?: Tag[] | undefined;
  parentRunId?: string | undefined;
}

/** The only write for metrics, params and tags; everything else is built on it. */
export interface LogBatch {
  metrics?: Metric[] | undefined;
  params?: Param[] | undefined;
  tags?: Tag[] | undefined;
}

/**
 * Experiments, runs, params, metrics, tags and dataset inputs (MLflow's AbstractStore).
 * Every public method is one transaction. Errors are KeelErrors with MLflow codes.
 */
export interface TrackingStore {
  /** Create an experiment; RESOURCE_ALREADY_EXISTS when the name is taken. Returns its id. */
  createExperiment(name: string, artifactLocation?: string, tags?: Tag[]): Promise<string>;
  /** Experiment by id; RESOURCE_DOES_NOT_EXIST when absent. */
  getExperiment(experimentId: string): Promise<Experiment>;
  /** Experiment by name (active or deleted), or null. */
  getExperimentByName(name: string): Promise<Experiment | null>;
  /** Search experiments with MLflow's semantics. */
  searchExperiments(options?: SearchExperimentsOptions): Promise<Page<Experiment>>;
  /** Soft-delete an experiment and its runs. */
  deleteExperiment(experimentId: string): Promise<void>;
  /** Undo {@link deleteExperiment}. */
  restoreExperiment(experimentId: string): Promise<void>;
  /** Rename an experiment. */
  renameExperiment(experimentId: string, newName: string): Promise<void>;
  /** Set (overwrite) an experiment tag. */
  setExperimentTag(experimentId: string, tag: Tag): Promise<void>;

  /** Create a RUNNING run; its artifact URI is `<experiment artifact location>/<run id>/artifacts`. */
  createRun(options: CreateRunOptions): Promise<Run>;
  /** Run by id; RESOURCE_DOES_NOT_EXIST when absent. */
  getRun(runId: string): Promise<Run>;
  /** Change status, end time or name. */
  updateRun(
    runId: string,
    update: { status?: RunStatus; endTime?: number; runName?: string },
  ): Promise<RunInfo>;
  /** Soft-delete a run. */
  deleteRun(runId: string): Promise<void>;
  /** Undo {@link deleteRun}. */
  restoreRun(runId: string): Promise<void>;
  /**
   * Log metrics, params and tags atomically. Params are write-once (same value: no-op;
   * another value: INVALID_PARAMETER_VALUE naming the key, old and new value).
   */
  logBatch(runId: string, batch: LogBatch): Promise<void>;
  /** Record datasets the run used; the same (name, digest) is stored once. */
  logInputs(runId: string, datasets: DatasetInput[]): Promise<void>;
  /** Delete a run tag; RESOURCE_DOES_NOT_EXIST when absent. */
  deleteTag(runId: string, key: string): Promise<void>;
  /** Every logged value of one metric, ordered by step then timestamp. */
  getMetricHistory(
    runId: string,
    key: string,
    options?: { maxResults?: number; pageToken?: string },
  ): Promise<Page<Metric>>;
  /** Search runs (see {@link SearchRunsOptions} for the grammar). */
  searchRuns(options: SearchRunsOptions): Promise<Page<Run>>;
}
