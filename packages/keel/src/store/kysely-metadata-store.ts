/**
 * The metadata store over Kysely, for SQLite and PostgreSQL. Every public method is one
 * transaction (`db.transaction().execute(trx => ...)`): read-only methods open read-only
 * transactions, writes open write transactions (BEGIN IMMEDIATE on SQLite). The work itself lives
 * in one repository per entity; this class only validates what needs no database, opens the
 * transaction and delegates.
 */
import type { Kysely, Transaction } from "kysely";
import { appendToUriPath } from "./artifact-uris.js";
import type { DatasetSummary, DatasetUsage, DatasetVersion, NewDatasetVersion } from "./dataset-store.js";
import { DatasetVersionsRepository } from "./dataset-versions-repository.js";
import { mapDatabaseError } from "./db-errors.js";
import type {
  Endpoint,
  EndpointEvent,
  EndpointStore,
  NewEndpointEvent,
  TrafficPolicy,
} from "./endpoint-store.js";
import { EndpointsRepository } from "./endpoints-repository.js";
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
} from "./entities.js";
import { ExperimentsRepository } from "./experiments-repository.js";
import type { KyselyStoreConfig } from "./kysely-store-config.js";
import type { MetadataStore } from "./metadata-store.js";
import { migrateToLatest } from "./migrations/migrator.js";
import { ModelAliasesRepository } from "./model-aliases-repository.js";
import { ModelVersionsRepository } from "./model-versions-repository.js";
import { RegisteredModelsRepository } from "./registered-models-repository.js";
import type { CreateModelVersionOptions, SearchRegistryOptions } from "./registry-store.js";
import { getMetricHistory, logBatch } from "./run-data-writer.js";
import { logInputs } from "./run-inputs-writer.js";
import { loadRuns } from "./run-loader.js";
import { searchRunRows } from "./run-search.js";
import { RunsRepository } from "./runs-repository.js";
import type { Database } from "./schema.js";
import type { ExclusiveSqlite } from "./sqlite-driver.js";
import { SqliteGroupCommit } from "./sqlite-group-commit.js";
import { logBatchSqlite } from "./sqlite-run-data-writer.js";
import type {
  CreateRunOptions,
  LogBatch,
  SearchExperimentsOptions,
  SearchRunsOptions,
} from "./tracking-store.js";
import { validateDatasetInputs, validateLogBatch } from "./validation.js";

/** {@link MetadataStore} on SQLite or PostgreSQL. Create it with {@link KyselyMetadataStore.open}. */
export class KyselyMetadataStore implements MetadataStore, EndpointStore {
  /** Backend kind. */
  readonly kind: "sqlite" | "postgresql";
  readonly #db: Kysely<Database>;
  readonly #experiments: ExperimentsRepository;
  readonly #runs: RunsRepository;
  readonly #models: RegisteredModelsRepository;
  readonly #versions: ModelVersionsRepository;
  readonly #aliases = new ModelAliasesRepository();
  readonly #datasets: DatasetVersionsRepository;
  readonly #endpoints: EndpointsRepository;
  /** SQLite only: logBatch calls waiting for the connection commit together. */
  readonly #groupCommit: SqliteGroupCommit | undefined;

  private constructor(db: Kysely<Database>, config: KyselyStoreConfig, sqlite: ExclusiveSqlite | undefined) {
    this.kind = config.backend;
    this.#db = db;
    this.#experiments = new ExperimentsRepository(config);
    this.#runs = new RunsRepository(this.#experiments);
    this.#models = new RegisteredModelsRepository(config.backend);
    this.#versions = new ModelVersionsRepository(config.backend);
    this.#datasets = new DatasetVersionsRepository(config.backend);
    this.#endpoints = new EndpointsRepository(config.backend);
    this.#groupCommit = sqlite ? new SqliteGroupCommit(sqlite) : undefined;
  }

  /**
   * Migrate `db` to the latest schema (creating the Default experiment) and wrap it. Takes ownership
   * of `db`. On SQLite, `sqlite` (the exclusive access of `db`'s own driver) enables the
   * group-committed logBatch; without it logBatch runs one Kysely transaction per call.
   */
  static async open(
    db: Kysely<Database>,
    config: KyselyStoreConfig,
    sqlite?: ExclusiveSqlite,
  ): Promise<KyselyMetadataStore> {
    const frozen = Object.freeze({ ...config });
    try {
      await migrateToLatest(db, {
        backend: frozen.backend,
        defaultExperimentArtifactLocation: appendToUriPath(frozen.defaultArtifactRoot, "0"),
      });
    } catch (e) {
      await db.destroy();
      throw mapDatabaseError(e);
    }
    return new KyselyMetadataStore(db, frozen, sqlite);
  }

  async #write<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    try {
      return await this.#db.transaction().execute(work);
    } catch (e) {
      throw mapDatabaseError(e);
    }
  }

  async #read<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    try {
      return await this.#db.transaction().setAccessMode("read only").execute(work);
    } catch (e) {
      throw mapDatabaseError(e);
    }
  }

  /** Finish the writes already submitted, then release the database connections. */
  async close(): Promise<void> {
    await this.#groupCommit?.drain();
    await this.#db.destroy();
  }

  // Experiments

  createExperiment(name: string, artifactLocation?: string, tags?: Tag[]): Promise<string> {
    return this.#write((trx) => this.#experiments.create(trx, name, artifactLocation, tags));
  }
  getExperiment(experimentId: string): Promise<Experiment> {
    return this.#read((trx) => this.#experiments.get(trx, experimentId));
  }
  getExperimentByName(name: string): Promise<Experiment | null> {
    return this.#read((trx) => this.#experiments.getByName(trx, name));
  }
  searchExperiments(options?: SearchExperimentsOptions): Promise<Page<Experiment>> {
    return this.#read((trx) => this.#experiments.search(trx, options));
  }
  deleteExperiment(experimentId: string): Promise<void> {
    return this.#write((trx) => this.#experiments.delete(trx, experimentId));
  }
  restoreExperiment(experimentId: string): Promise<void> {
    return this.#write((trx) => this.#experiments.restore(trx, experimentId));
  }
  renameExperiment(experimentId: string, newName: string): Promise<void> {
    return this.#write((trx) => this.#experiments.rename(trx, experimentId, newName));
  }
  setExperimentTag(experimentId: string, tag: Tag): Promise<void> {
    return this.#write((trx) => this.#experiments.setTag(trx, experimentId, tag));
  }

  // Runs

  createRun(options: CreateRunOptions): Promise<Run> {
    return this.#write((trx) => this.#runs.create(trx, options));
  }
  getRun(runId: string): Promise<Run> {
    return this.#read((trx) => this.#runs.get(trx, runId));
  }
  updateRun(
    runId: string,
    update: { status?: RunStatus; endTime?: number; runName?: string },
  ): Promise<RunInfo> {
    return this.#write((trx) => this.#runs.update(trx, runId, update));
  }
  deleteRun(runId: string): Promise<void> {
    return this.#write((trx) => this.#runs.delete(trx, runId));
  }
  restoreRun(runId: string): Promise<void> {
    return this.#write((trx) => this.#runs.restore(trx, runId));
  }
  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    validateLogBatch(batch);
    if (this.#groupCommit) {
      return this.#groupCommit.submit((session) => logBatchSqlite(session, runId, batch));
    }
    return this.#write((trx) => logBatch(trx, runId, batch));
  }
  async logInputs(runId: string, datasets: DatasetInput[]): Promise<void> {
    validateDatasetInputs(datasets);
    return this.#write((trx) => logInputs(trx, runId, datasets));
  }
  deleteTag(runId: string, key: string): Promise<void> {
    return this.#write((trx) => this.#runs.deleteTag(trx, runId, key));
  }
  getMetricHistory(
    runId: string,
    key: string,
    options?: { maxResults?: number; pageToken?: string },
  ): Promise<Page<Metric>> {
    return this.#read((trx) => getMetricHistory(trx, runId, key, options));
  }
  searchRuns(options: SearchRunsOptions): Promise<Page<Run>> {
    return this.#read(async (trx) => {
      const page = await searchRunRows(trx, this.kind, options);
      return { items: await loadRuns(trx, page.rows), nextPageToken: page.nextPageToken };
    });
  }

  // Registered models

  createRegisteredModel(name: string, tags?: Tag[], description?: string): Promise<RegisteredModel> {
    return this.#write((trx) => this.#models.create(trx, name, tags, description));
  }
  getRegisteredModel(name: string): Promise<RegisteredModel> {
    return this.#read((trx) => this.#models.get(trx, name));
  }
  renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    return this.#write((trx) => this.#models.rename(trx, name, newName));
  }
  updateRegisteredModel(name: string, description: string): Promise<RegisteredModel> {
    return this.#write((trx) => this.#models.update(trx, name, description));
  }
  deleteRegisteredModel(name: string): Promise<void> {
    return this.#write((trx) => this.#models.delete(trx, name));
  }
  searchRegisteredModels(options?: SearchRegistryOptions): Promise<Page<RegisteredModel>> {
    return this.#read((trx) => this.#models.search(trx, options));
  }
  getLatestVersions(name: string, stages?: string[]): Promise<ModelVersion[]> {
    return this.#read((trx) => this.#models.getLatestVersions(trx, name, stages));
  }
  setRegisteredModelTag(name: string, tag: Tag): Promise<void> {
    return this.#write((trx) => this.#models.setTag(trx, name, tag));
  }
  deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    return this.#write((trx) => this.#models.deleteTag(trx, name, key));
  }

  // Model versions

  createModelVersion(options: CreateModelVersionOptions): Promise<ModelVersion> {
    return this.#write((trx) => this.#versions.create(trx, options));
  }
  getModelVersion(name: string, version: string): Promise<ModelVersion> {
    return this.#read((trx) => this.#versions.get(trx, name, version));
  }
  updateModelVersion(name: string, version: string, description: string): Promise<ModelVersion> {
    return this.#write((trx) => this.#versions.update(trx, name, version, description));
  }
  transitionModelVersionStage(
    name: string,
    version: string,
    stage: string,
    archiveExistingVersions: boolean,
  ): Promise<ModelVersion> {
    return this.#write((trx) =>
      this.#versions.transition(trx, name, version, stage, archiveExistingVersions),
    );
  }
  deleteModelVersion(name: string, version: string): Promise<void> {
    return this.#write((trx) => this.#versions.delete(trx, name, version));
  }
  searchModelVersions(options?: SearchRegistryOptions): Promise<Page<ModelVersion>> {
    return this.#read((trx) => this.#versions.search(trx, options));
  }
  setModelVersionTag(name: string, version: string, tag: Tag): Promise<void> {
    return this.#write((trx) => this.#versions.setTag(trx, name, version, tag));
  }
  deleteModelVersionTag(name: string, version: string, key: string): Promise<void> {
    return this.#write((trx) => this.#versions.deleteTag(trx, name, version, key));
  }

  // Aliases

  setRegisteredModelAlias(name: string, alias: string, version: string, userId?: string): Promise<void> {
    return this.#write((trx) => this.#aliases.set(trx, name, alias, version, userId));
  }
  deleteRegisteredModelAlias(name: string, alias: string, userId?: string): Promise<void> {
    return this.#write((trx) => this.#aliases.delete(trx, name, alias, userId));
  }
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return this.#read((trx) => this.#aliases.getVersion(trx, name, alias));
  }
  getAliasHistory(name: string, alias?: string): Promise<AliasEvent[]> {
    return this.#read((trx) => this.#aliases.history(trx, name, alias));
  }

  // Dataset versions

  createDatasetVersion(v: NewDatasetVersion): Promise<DatasetVersion> {
    return this.#write((trx) => this.#datasets.create(trx, v));
  }
  getDatasetVersion(name: string, version: number): Promise<DatasetVersion> {
    return this.#read((trx) => this.#datasets.get(trx, name, version));
  }
  getLatestDatasetVersion(name: string): Promise<DatasetVersion> {
    return this.#read((trx) => this.#datasets.getLatest(trx, name));
  }
  listDatasetVersions(name: string): Promise<DatasetVersion[]> {
    return this.#read((trx) => this.#datasets.list(trx, name));
  }
  listDatasets(): Promise<DatasetSummary[]> {
    return this.#read((trx) => this.#datasets.listDatasets(trx));
  }
  findDatasetUsage(name: string, version: number): Promise<DatasetUsage> {
    return this.#read((trx) => this.#datasets.findUsage(trx, name, version));
  }

  // Endpoints

  createEndpoint(name: string, policy: TrafficPolicy, event: NewEndpointEvent): Promise<Endpoint> {
    return this.#write((trx) => this.#endpoints.create(trx, name, policy, event));
  }
  getEndpoint(name: string): Promise<Endpoint> {
    return this.#read((trx) => this.#endpoints.get(trx, name));
  }
  listEndpoints(): Promise<Endpoint[]> {
    return this.#read((trx) => this.#endpoints.list(trx));
  }
  updateEndpoint(
    name: string,
    expectedRevision: number,
    policy: TrafficPolicy,
    event: NewEndpointEvent,
  ): Promise<Endpoint> {
    return this.#write((trx) => this.#endpoints.update(trx, name, expectedRevision, policy, event));
  }
  listEndpointEvents(name: string, afterSeq?: number): Promise<EndpointEvent[]> {
    return this.#read((trx) => this.#endpoints.events(trx, name, afterSeq));
  }
}
