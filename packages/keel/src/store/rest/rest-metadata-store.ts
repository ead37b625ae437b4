import { invalidParam, isKeelError, KeelError } from "../../errors.js";
import type { DatasetSummary, DatasetUsage, DatasetVersion, NewDatasetVersion } from "../dataset-store.js";
import type {
  Endpoint,
  EndpointEvent,
  EndpointStore,
  NewEndpointEvent,
  TrafficPolicy,
} from "../endpoint-store.js";
import type {
  AliasEvent,
  DatasetInput,
  Experiment,
  Metric,
  ModelVersion,
  Page,
  RegisteredModel,
  Run,
  RunInfo,
  RunStatus,
  Tag,
} from "../entities.js";
import type { MetadataStore } from "../metadata-store.js";
import type { CreateModelVersionOptions, SearchRegistryOptions } from "../registry-store.js";
import type {
  CreateRunOptions,
  LogBatch,
  SearchExperimentsOptions,
  SearchRunsOptions,
} from "../tracking-store.js";
import { type HttpMethod, KEEL_API_PREFIX, RestClient } from "./rest-client.js";
import type { RestClientConfig } from "./rest-client-config.js";
import {
  aliasEventFromWire,
  datasetInputToWire,
  datasetSummaryFromWire,
  datasetUsageFromWire,
  datasetVersionFromWire,
  experimentFromWire,
  keyValueToWire,
  metricFromWire,
  metricToWire,
  modelVersionFromWire,
  newDatasetVersionToWire,
  PARENT_RUN_ID_TAG,
  registeredModelFromWire,
  runFromWire,
  runInfoFromWire,
} from "./wire-to-entity.js";
import type {
  WireAliasEvent,
  WireDatasetSummary,
  WireDatasetUsage,
  WireDatasetVersion,
  WireExperiment,
  WireMetric,
  WireModelVersion,
  WireRegisteredModel,
  WireRun,
  WireRunInfo,
} from "./wire-types.js";

/** Options of {@link RestMetadataStore}: the server's base URL, token, timeout and retries. */
export type RestMetadataStoreOptions = RestClientConfig;

/**
 * A {@link MetadataStore} that talks to a remote `keel server` (or any MLflow 2.x tracking
 * server) over MLflow's REST API 2.0, in MLflow's exact wire format (see `wire-to-entity.ts`).
 * Dataset versions and serving endpoints, which MLflow has no API for, use Keel's native API
 * under `/api/2.0/keel` and so need a `keel server`.
 * Errors come back as KeelErrors with the server's code and message, so a caller cannot tell a
 * remote store from an embedded one by its errors. Calls that are safe to repeat are retried
 * with backoff on connection errors, 429 and 503 (see {@link RestClient}).
 *
 * @example
 * const store = new RestMetadataStore({ baseUrl: "http://127.0.0.1:5000", token: process.env.KEEL_TRACKING_TOKEN });
 * const id = await store.createExperiment("churn");
 * const run = await store.createRun({ experimentId: id, runName: "baseline" });
 * await store.logBatch(run.info.runId, { params: [{ key: "lr", value: "0.1" }] });
 */
export class RestMetadataStore implements MetadataStore, EndpointStore {
  /** Always "rest". */
  readonly kind = "rest" as const;
  readonly #client: RestClient;

  constructor(options: RestMetadataStoreOptions) {
    this.#client = new RestClient(options);
  }

  /** The server's base URL, e.g. `http://127.0.0.1:5000`. */
  get baseUrl(): string {
    return this.#client.baseUrl;
  }

  /** Nothing to release: fetch keeps no per-store connections. */
  async close(): Promise<void> {}

  // ------------------------------------------------------------ experiments

  /** `POST experiments/create`. */
  async createExperiment(name: string, artifactLocation?: string, tags?: Tag[]): Promise<string> {
    const res = await this.#call<{ experiment_id?: string }>("POST", "experiments/create", false, {
      name,
      artifact_location: artifactLocation,
      tags: tags?.map(keyValueToWire),
    });
    return res.experiment_id ?? "";
  }

  /** `GET experiments/get`. */
  async getExperiment(experimentId: string): Promise<Experiment> {
    const res = await this.#call<{ experiment?: WireExperiment }>("GET", "experiments/get", true, {
      experiment_id: experimentId,
    });
    return experimentFromWire(res.experiment);
  }

  /** `GET experiments/get-by-name`; RESOURCE_DOES_NOT_EXIST becomes null, as in MLflow's client. */
  async getExperimentByName(name: string): Promise<Experiment | null> {
    try {
      const res = await this.#call<{ experiment?: WireExperiment }>("GET", "experiments/get-by-name", true, {
        experiment_name: name,
      });
      return experimentFromWire(res.experiment);
    } catch (e) {
      if (isKeelError(e) && e.code === "RESOURCE_DOES_NOT_EXIST") return null;
      throw e;
    }
  }

  /** `POST experiments/search`. */
  async searchExperiments(options: SearchExperimentsOptions = {}): Promise<Page<Experiment>> {
    const res = await this.#call<{ experiments?: WireExperiment[]; next_page_token?: string }>(
      "POST",
      "experiments/search",
      true,
      {
        view_type: options.viewType,
        max_results: options.maxResults,
        filter: options.filter,
        order_by: options.orderBy,
        page_token: options.pageToken,
      },
    );
    return page((res.experiments ?? []).map(experimentFromWire), res.next_page_token);
  }

  /** `POST experiments/delete`. */
  async deleteExperiment(experimentId: string): Promise<void> {
    await this.#call("POST", "experiments/delete", false, { experiment_id: experimentId });
  }

  /** `POST experiments/restore`. */
  async restoreExperiment(experimentId: string): Promise<void> {
    await this.#call("POST", "experiments/restore", false, { experiment_id: experimentId });
  }

  /** `POST experiments/update`. */
  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    await this.#call("POST", "experiments/update", true, { experiment_id: experimentId, new_name: newName });
  }

  /** `POST experiments/set-experiment-tag`. */
  async setExperimentTag(experimentId: string, tag: Tag): Promise<void> {
    await this.#call("POST", "experiments/set-experiment-tag", true, {
      experiment_id: experimentId,
      key: tag.key,
      value: tag.value,
    });
  }

  // ------------------------------------------------------------ runs

  /**
   * `POST runs/create`. The wire has no parent field: a parent travels as the
   * `mlflow.parentRunId` tag, as MLflow's own client sends it.
   */
  async createRun(options: CreateRunOptions): Promise<Run> {
    const tags = [...(options.tags ?? [])];
    if (options.parentRunId !== undefined && !tags.some((t) => t.key === PARENT_RUN_ID_TAG)) {
      tags.push({ key: PARENT_RUN_ID_TAG, value: options.parentRunId });
    }
    const res = await this.#call<{ run?: WireRun }>("POST", "runs/create", false, {
      experiment_id: options.experimentId,
      user_id: options.userId,
      run_name: options.runName,
      start_time: options.startTime,
      tags: tags.map(keyValueToWire),
    });
    return runFromWire(res.run);
  }

  /** `GET runs/get`. */
  async getRun(runId: string): Promise<Run> {
    const res = await this.#call<{ run?: WireRun }>("GET", "runs/get", true, {
      run_id: runId,
      run_uuid: runId,
    });
    return runFromWire(res.run);
  }

  /**
   * `POST runs/update`. MLflow's answer carries no tags, so the parent link is read back with one
   * `runs/get` to return the same RunInfo an embedded store would.
   */
  async updateRun(
    runId: string,
    update: { status?: RunStatus; endTime?: number; runName?: string },
  ): Promise<RunInfo> {
    const res = await this.#call<{ run_info?: WireRunInfo }>("POST", "runs/update", true, {
      run_id: runId,
      run_uuid: runId,
      status: update.status,
      end_time: update.endTime,
      run_name: update.runName,
    });
    const info = runInfoFromWire(res.run_info);
    const { parentRunId } = (await this.getRun(runId)).info;
    return { ...info, parentRunId };
  }

  /** `POST runs/delete`. */
  async deleteRun(runId: string): Promise<void> {
    await this.#call("POST", "runs/delete", false, { run_id: runId });
  }

  /** `POST runs/restore`. */
  async restoreRun(runId: string): Promise<void> {
    await this.#call("POST", "runs/restore", false, { run_id: runId });
  }

  /**
   * `POST runs/log-batch`. Retried after an ambiguous failure only when it holds no metrics:
   * params (same value) and tags (overwrite) repeat harmlessly, metrics would be logged twice.
   */
  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    const metrics = batch.metrics ?? [];
    await this.#call("POST", "runs/log-batch", metrics.length === 0, {
      run_id: runId,
      metrics: metrics.map(metricToWire),
      params: (batch.params ?? []).map(keyValueToWire),
      tags: (batch.tags ?? []).map(keyValueToWire),
    });
  }

  /** `POST runs/log-inputs` (the same dataset is stored once, so repeating is safe). */
  async logInputs(runId: string, datasets: DatasetInput[]): Promise<void> {
    await this.#call("POST", "runs/log-inputs", true, {
      run_id: runId,
      datasets: datasets.map(datasetInputToWire),
    });
  }

  /** `POST runs/delete-tag`. */
  async deleteTag(runId: string, key: string): Promise<void> {
    await this.#call("POST", "runs/delete-tag", false, { run_id: runId, key });
  }

  /** `GET metrics/get-history`. */
  async getMetricHistory(
    runId: string,
    key: string,
    options: { maxResults?: number; pageToken?: string } = {},
  ): Promise<Page<Metric>> {
    const res = await this.#call<{ metrics?: WireMetric[]; next_page_token?: string }>(
      "GET",
      "metrics/get-history",
      true,
      {
        run_id: runId,
        run_uuid: runId,
        metric_key: key,
        max_results: options.maxResults,
        page_token: options.pageToken,
      },
    );
    return page((res.metrics ?? []).map(metricFromWire), res.next_page_token);
  }

  /** `POST runs/search`. */
  async searchRuns(options: SearchRunsOptions): Promise<Page<Run>> {
    const res = await this.#call<{ runs?: WireRun[]; next_page_token?: string }>(
      "POST",
      "runs/search",
      true,
      {
        experiment_ids: options.experimentIds,
        filter: options.filter,
        run_view_type: options.runViewType,
        max_results: options.maxResults,
        order_by: options.orderBy,
        page_token: options.pageToken,
      },
    );
    return page((res.runs ?? []).map(runFromWire), res.next_page_token);
  }

  // ------------------------------------------------------------ registered models

  /** `POST registered-models/create`. */
  async createRegisteredModel(name: string, tags?: Tag[], description?: string): Promise<RegisteredModel> {
    return this.#model("POST", "registered-models/create", false, {
      name,
      tags: tags?.map(keyValueToWire),
      description,
    });
  }

  /** `GET registered-models/get`. */
  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return this.#model("GET", "registered-models/get", true, { name });
  }

  /** `POST registered-models/rename`. */
  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    return this.#model("POST", "registered-models/rename", false, { name, new_name: newName });
  }

  /** `PATCH registered-models/update`. */
  async updateRegisteredModel(name: string, description: string): Promise<RegisteredModel> {
    return this.#model("PATCH", "registered-models/update", true, { name, description });
  }

  /** `DELETE registered-models/delete`. */
  async deleteRegisteredModel(name: string): Promise<void> {
    await this.#call("DELETE", "registered-models/delete", false, { name });
  }

  /** `GET registered-models/search`. */
  async searchRegisteredModels(options: SearchRegistryOptions = {}): Promise<Page<RegisteredModel>> {
    const res = await this.#call<{ registered_models?: WireRegisteredModel[]; next_page_token?: string }>(
      "GET",
      "registered-models/search",
      true,
      searchMessage(options),
    );
    return page((res.registered_models ?? []).map(registeredModelFromWire), res.next_page_token);
  }

  /** `POST registered-models/get-latest-versions`. */
  async getLatestVersions(name: string, stages?: string[]): Promise<ModelVersion[]> {
    const res = await this.#call<{ model_versions?: WireModelVersion[] }>(
      "POST",
      "registered-models/get-latest-versions",
      true,
      { name, stages },
    );
    return (res.model_versions ?? []).map(modelVersionFromWire);
  }

  /** `POST registered-models/set-tag`. */
  async setRegisteredModelTag(name: string, tag: Tag): Promise<void> {
    await this.#call("POST", "registered-models/set-tag", true, { name, key: tag.key, value: tag.value });
  }

  /** `DELETE registered-models/delete-tag`. */
  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    await this.#call("DELETE", "registered-models/delete-tag", false, { name, key });
  }

  // ------------------------------------------------------------ model versions

  /** `POST model-versions/create` (the server records the user). */
  async createModelVersion(options: CreateModelVersionOptions): Promise<ModelVersion> {
    return this.#version("POST", "model-versions/create", false, {
      name: options.name,
      source: options.source,
      run_id: options.runId,
      run_link: options.runLink,
      description: options.description,
      tags: options.tags?.map(keyValueToWire),
    });
  }

  /** `GET model-versions/get`. */
  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    return this.#version("GET", "model-versions/get", true, { name, version });
  }

  /** `PATCH model-versions/update`. */
  async updateModelVersion(name: string, version: string, description: string): Promise<ModelVersion> {
    return this.#version("PATCH", "model-versions/update", true, { name, version, description });
  }

  /** `POST model-versions/transition-stage`. */
  async transitionModelVersionStage(
    name: string,
    version: string,
    stage: string,
    archiveExistingVersions: boolean,
  ): Promise<ModelVersion> {
    return this.#version("POST", "model-versions/transition-stage", true, {
      name,
      version,
      stage,
      archive_existing_versions: archiveExistingVersions,
    });
  }

  /** `DELETE model-versions/delete`. */
  async deleteModelVersion(name: string, version: string): Promise<void> {
    await this.#call("DELETE", "model-versions/delete", false, { name, version });
  }

  /** `GET model-versions/search`. */
  async searchModelVersions(options: SearchRegistryOptions = {}): Promise<Page<ModelVersion>> {
    const res = await this.#call<{ model_versions?: WireModelVersion[]; next_page_token?: string }>(
      "GET",
      "model-versions/search",
      true,
      searchMessage(options),
    );
    return page((res.model_versions ?? []).map(modelVersionFromWire), res.next_page_token);
  }

  /** `POST model-versions/set-tag`. */
  async setModelVersionTag(name: string, version: string, tag: Tag): Promise<void> {
    await this.#call("POST", "model-versions/set-tag", true, {
      name,
      version,
      key: tag.key,
      value: tag.value,
    });
  }

  /** `DELETE model-versions/delete-tag`. */
  async deleteModelVersionTag(name: string, version: string, key: string): Promise<void> {
    await this.#call("DELETE", "model-versions/delete-tag", false, { name, version, key });
  }

  // ------------------------------------------------------------ aliases

  /**
   * `POST registered-models/alias`. The wire has no user field: the server records the user it
   * authenticated, so `userId` is not sent.
   */
  async setRegisteredModelAlias(
    name: string,
    alias: string,
    version: string,
    _userId?: string,
  ): Promise<void> {
    await this.#call("POST", "registered-models/alias", true, { name, alias, version });
  }

  /** `DELETE registered-models/alias` (user: as for {@link setRegisteredModelAlias}). */
  async deleteRegisteredModelAlias(name: string, alias: string, _userId?: string): Promise<void> {
    await this.#call("DELETE", "registered-models/alias", false, { name, alias });
  }

  /** `GET registered-models/alias`. */
  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return this.#version("GET", "registered-models/alias", true, { name, alias });
  }

  /** `GET registered-models/alias-history` (Keel extension; MLflow servers answer 404). */
  async getAliasHistory(name: string, alias?: string): Promise<AliasEvent[]> {
    const res = await this.#call<{ events?: WireAliasEvent[] }>(
      "GET",
      "registered-models/alias-history",
      true,
      {
        name,
        alias,
      },
    );
    return (res.events ?? []).map(aliasEventFromWire);
  }

  // ------------------------------------------------------------ dataset versions (Keel's API)

  /**
   * `POST datasets/versions/create`. Retried like a read: creating is idempotent (the same
   * digest and path again returns the newest version), so a repeat cannot add a version.
   */
  async createDatasetVersion(v: NewDatasetVersion): Promise<DatasetVersion> {
    return this.#datasetVersion("POST", "datasets/versions/create", newDatasetVersionToWire(v));
  }

  /** `GET datasets/versions/get`. */
  async getDatasetVersion(name: string, version: number): Promise<DatasetVersion> {
    return this.#datasetVersion("GET", "datasets/versions/get", { name, version });
  }

  /** `GET datasets/versions/get-latest`. */
  async getLatestDatasetVersion(name: string): Promise<DatasetVersion> {
    return this.#datasetVersion("GET", "datasets/versions/get-latest", { name });
  }

  /** `GET datasets/versions/list`. */
  async listDatasetVersions(name: string): Promise<DatasetVersion[]> {
    const res = await this.#keel<{ dataset_versions?: WireDatasetVersion[] }>(
      "GET",
      "datasets/versions/list",
      {
        name,
      },
    );
    return (res.dataset_versions ?? []).map(datasetVersionFromWire);
  }

  /** `GET datasets/list`. */
  async listDatasets(): Promise<DatasetSummary[]> {
    const res = await this.#keel<{ datasets?: WireDatasetSummary[] }>("GET", "datasets/list", {});
    return (res.datasets ?? []).map(datasetSummaryFromWire);
  }

  /** `GET datasets/versions/usage`. */
  async findDatasetUsage(name: string, version: number): Promise<DatasetUsage> {
    return datasetUsageFromWire(
      await this.#keel<WireDatasetUsage>("GET", "datasets/versions/usage", { name, version }),
    );
  }

  // ------------------------------------------------------------ endpoints (Keel's API)

  /** `POST endpoints/create`; not retried (a repeat would answer RESOURCE_ALREADY_EXISTS). */
  async createEndpoint(name: string, policy: TrafficPolicy, event: NewEndpointEvent): Promise<Endpoint> {
    return this.#endpoint("POST", "endpoints/create", { name, policy, event }, false);
  }

  /** `GET endpoints/get`. */
  async getEndpoint(name: string): Promise<Endpoint> {
    return this.#endpoint("GET", "endpoints/get", { name }, true);
  }

  /** `GET endpoints/list`. */
  async listEndpoints(): Promise<Endpoint[]> {
    const res = await this.#keel<{ endpoints?: Endpoint[] }>("GET", "endpoints/list", {}, "endpoint");
    return res.endpoints ?? [];
  }

  /**
   * `POST endpoints/update`; not retried: a repeat after a lost answer would meet its own new
   * revision and fail with INVALID_STATE, which tells the caller to re-read, as for any race.
   */
  async updateEndpoint(
    name: string,
    expectedRevision: number,
    policy: TrafficPolicy,
    event: NewEndpointEvent,
  ): Promise<Endpoint> {
    const message = { name, expected_revision: expectedRevision, policy, event };
    return this.#endpoint("POST", "endpoints/update", message, false);
  }

  /** `GET endpoints/events`. */
  async listEndpointEvents(name: string, afterSeq?: number): Promise<EndpointEvent[]> {
    const message = { name, after_seq: afterSeq };
    const res = await this.#keel<{ events?: EndpointEvent[] }>(
      "GET",
      "endpoints/events",
      message,
      "endpoint",
    );
    return res.events ?? [];
  }

  // ------------------------------------------------------------ plumbing

  /** One MLflow call; undefined fields are dropped, as proto3 JSON leaves unset fields out. */
  #call<T = unknown>(
    method: HttpMethod,
    endpoint: string,
    idempotent: boolean,
    message: Record<string, unknown>,
  ) {
    return this.#client.callJson<T>(method, endpoint, dropUndefined(message), { idempotent });
  }

  /**
   * One call to Keel's native API (`api` names it in errors); dataset calls and reads are safe
   * to repeat. A server without that API (an MLflow server) answers ENDPOINT_NOT_FOUND,
   * reworded to say what is missing.
   */
  async #keel<T>(
    method: HttpMethod,
    endpoint: string,
    message: Record<string, unknown>,
    api: "dataset" | "endpoint" = "dataset",
    idempotent = true,
  ): Promise<T> {
    try {
      return await this.#client.callJson<T>(method, endpoint, dropUndefined(message), {
        idempotent,
        prefix: KEEL_API_PREFIX,
      });
    } catch (e) {
      if (!isKeelError(e) || e.code !== "ENDPOINT_NOT_FOUND") throw e;
      const what = api === "dataset" ? "dataset versions" : "serving endpoints";
      throw new KeelError(
        "ENDPOINT_NOT_FOUND",
        `The tracking server at ${this.baseUrl} does not serve Keel's ${api} API (${KEEL_API_PREFIX}/${endpoint}); ${what} need a keel server (an MLflow server has no equivalent). Server said: ${e.message}`,
        { cause: e },
      );
    }
  }

  /** An endpoint call answering `{endpoint}`. */
  async #endpoint(
    method: HttpMethod,
    endpoint: string,
    message: Record<string, unknown>,
    idempotent: boolean,
  ): Promise<Endpoint> {
    const res = await this.#keel<{ endpoint?: Endpoint }>(method, endpoint, message, "endpoint", idempotent);
    if (res.endpoint === undefined) {
      throw new KeelError("INTERNAL_ERROR", `${this.baseUrl} answered ${endpoint} without an endpoint`);
    }
    return res.endpoint;
  }

  /** A dataset call answering `{dataset_version}`. */
  async #datasetVersion(method: HttpMethod, endpoint: string, message: Record<string, unknown>) {
    const res = await this.#keel<{ dataset_version?: WireDatasetVersion }>(method, endpoint, message);
    return datasetVersionFromWire(res.dataset_version);
  }

  /** A call answering `{registered_model}`. */
  async #model(method: HttpMethod, endpoint: string, idempotent: boolean, message: Record<string, unknown>) {
    const res = await this.#call<{ registered_model?: WireRegisteredModel }>(
      method,
      endpoint,
      idempotent,
      message,
    );
    return registeredModelFromWire(res.registered_model);
  }

  /** A call answering `{model_version}`. */
  async #version(
    method: HttpMethod,
    endpoint: string,
    idempotent: boolean,
    message: Record<string, unknown>,
  ) {
    const res = await this.#call<{ model_version?: WireModelVersion }>(method, endpoint, idempotent, message);
    return modelVersionFromWire(res.model_version);
  }
}

/**
 * Open a REST store on a tracking URI (`http(s)://host:port[/prefix]`); the token defaults to
 * env `KEEL_TRACKING_TOKEN`. The scheme map of `open-metadata-store.ts` calls this for http(s).
 *
 * @example
 * const store = await openRestMetadataStore("http://127.0.0.1:5000");
 */
export async function openRestMetadataStore(
  uri: string,
  options: Omit<RestMetadataStoreOptions, "baseUrl"> = {},
): Promise<RestMetadataStore> {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    url = new URL("invalid:");
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.host === "" || url.search || url.hash) {
    throw invalidParam(
      `Tracking URI ${JSON.stringify(uri)} is not a server URL; use http(s)://host:port (optionally with a path prefix), e.g. http://127.0.0.1:5000.`,
    );
  }
  return new RestMetadataStore({ ...options, baseUrl: uri });
}

/** The message of the registry's search calls. */
function searchMessage(options: SearchRegistryOptions): Record<string, unknown> {
  return {
    filter: options.filter,
    max_results: options.maxResults,
    order_by: options.orderBy,
    page_token: options.pageToken,
  };
}

/** A page; an empty token means "no more", as MLflow's client reads it. */
function page<T>(items: T[], token: string | undefined): Page<T> {
  return token ? { items, nextPageToken: token } : { items };
}

/** A copy of `message` without undefined fields. */
function dropUndefined(message: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(message).filter(([, v]) => v !== undefined));
}
