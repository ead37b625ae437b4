/**
 * Keel's public library API. The CLI (`keel`) is built on exactly these pieces.
 */

export type { ArtifactStore, FileInfo } from "./artifacts/artifact-store.js";
export { openArtifactStore } from "./artifacts/open-artifact-store.js";
export { datasetInputFromRef } from "./data/versioning/dataset-input.js";
export { type FlightsQuery, flightsFeaturesSql } from "./datasets/flights.js";
export { vegaDatasetPath } from "./datasets/vega-datasets.js";
export { ERROR_STATUS, type ErrorCode, EXIT_CODE, isKeelError, KeelError } from "./errors.js";
export { type KeelConfig, loadProject, type Project } from "./project/keel-config.js";
export { scaffoldProject } from "./project/scaffold.js";
export { getLineage, type Lineage } from "./registry/lineage.js";
export { type ModelRef, parseModelRef, type ResolvedModel, resolveModelRef } from "./registry/model-ref.js";
export { type RegisterModelOptions, registerModel } from "./registry/register-model.js";
export { startServer } from "./server/start-server.js";
export type * from "./store/entities.js";
export type { MetadataStore } from "./store/metadata-store.js";
export { openMetadataStore } from "./store/open-metadata-store.js";
export type { RegistryStore, SearchRegistryOptions } from "./store/registry-store.js";
export type { LogBatch, SearchRunsOptions, TrackingStore } from "./store/tracking-store.js";
export * from "./track/index.js";
