import type { AliasEvent, ModelVersion, Page, RegisteredModel, Tag } from "./entities.js";

/** Options for {@link RegistryStore.searchRegisteredModels} and {@link RegistryStore.searchModelVersions}. */
export interface SearchRegistryOptions {
  /**
   * MLflow's registry filter: `name = 'x'`, `name LIKE 'fl%'`, `name ILIKE ...`, `tags.k = 'v'`;
   * for versions also `run_id = '...'`, `run_id IN (...)`, `source_path = '...'`, `version_number > 2`.
   */
  filter?: string | undefined;
  maxResults?: number | undefined;
  /** E.g. `["name ASC", "last_updated_timestamp DESC"]`, versions also `version_number DESC`. */
  orderBy?: string[] | undefined;
  pageToken?: string | undefined;
}

/** Options for {@link RegistryStore.createModelVersion}. */
export interface CreateModelVersionOptions {
  name: string;
  /** Artifact URI of the model package (`runs:/...` is resolved by the caller to a storage URI). */
  source: string;
  runId?: string | undefined;
  runLink?: string | undefined;
  description?: string | undefined;
  tags?: Tag[] | undefined;
  userId?: string | undefined;
}

/**
 * Registered models, versions, aliases and tags (MLflow's model registry store).
 * Every public method is one transaction. Errors are KeelErrors with MLflow codes.
 */
export interface RegistryStore {
  /** Create a registered model; RESOURCE_ALREADY_EXISTS when the name is taken. */
  createRegisteredModel(name: string, tags?: Tag[], description?: string): Promise<RegisteredModel>;
  /** Registered model by name; RESOURCE_DOES_NOT_EXIST when absent. */
  getRegisteredModel(name: string): Promise<RegisteredModel>;
  /** Rename a model (its versions follow). */
  renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel>;
  /** Change a model's description. */
  updateRegisteredModel(name: string, description: string): Promise<RegisteredModel>;
  /** Delete a model, its versions, tags and aliases. */
  deleteRegisteredModel(name: string): Promise<void>;
  /** Search registered models. */
  searchRegisteredModels(options?: SearchRegistryOptions): Promise<Page<RegisteredModel>>;
  /** Latest version per stage (or for the given stages). */
  getLatestVersions(name: string, stages?: string[]): Promise<ModelVersion[]>;
  /** Set a model tag. */
  setRegisteredModelTag(name: string, tag: Tag): Promise<void>;
  /** Delete a model tag. */
  deleteRegisteredModelTag(name: string, key: string): Promise<void>;

  /** Create the next version (1, 2, ...) of a model, status READY. */
  createModelVersion(options: CreateModelVersionOptions): Promise<ModelVersion>;
  /** One version; RESOURCE_DOES_NOT_EXIST when absent. */
  getModelVersion(name: string, version: string): Promise<ModelVersion>;
  /** Change a version's description. */
  updateModelVersion(name: string, version: string, description: string): Promise<ModelVersion>;
  /** Move a version to a legacy stage, optionally archiving the others in that stage. */
  transitionModelVersionStage(
    name: string,
    version: string,
    stage: string,
    archiveExistingVersions: boolean,
  ): Promise<ModelVersion>;
  /** Delete a version (and aliases pointing at it). */
  deleteModelVersion(name: string, version: string): Promise<void>;
  /** Search versions. */
  searchModelVersions(options?: SearchRegistryOptions): Promise<Page<ModelVersion>>;
  /** Set a version tag. */
  setModelVersionTag(name: string, version: string, tag: Tag): Promise<void>;
  /** Delete a version tag. */
  deleteModelVersionTag(name: string, version: string, key: string): Promise<void>;

  /** Point an alias at a version, atomically, recording the move in the alias history. */
  setRegisteredModelAlias(name: string, alias: string, version: string, userId?: string): Promise<void>;
  /** Remove an alias (recorded in the history). */
  deleteRegisteredModelAlias(name: string, alias: string, userId?: string): Promise<void>;
  /** The version an alias points at; RESOURCE_DOES_NOT_EXIST when unset. */
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>;
  /** Every recorded alias move of a model (optionally one alias), oldest first. */
  getAliasHistory(name: string, alias?: string): Promise<AliasEvent[]>;
}
