/**
 * Keel's public library API. The CLI (`keel`) is built on exactly these pieces.
 */
export { ERROR_STATUS, type ErrorCode, EXIT_CODE, isKeelError, KeelError } from "./errors.js";
export * from "./track/index.js";
export type * from "./store/entities.js";
export type { MetadataStore } from "./store/metadata-store.js";
export type { TrackingStore, SearchRunsOptions, LogBatch } from "./store/tracking-store.js";
export type { RegistryStore, SearchRegistryOptions } from "./store/registry-store.js";
export { openMetadataStore } from "./store/open-metadata-store.js";
export type { ArtifactStore, FileInfo } from "./artifacts/artifact-store.js";
export { openArtifactStore } from "./artifacts/open-artifact-store.js";
export { parseModelRef, resolveModelRef, type ModelRef, type ResolvedModel } from "./registry/model-ref.js";
export { registerModel, type RegisterModelOptions } from "./registry/register-model.js";
export { getLineage, type Lineage } from "./registry/lineage.js";
export { startServer } from "./server/start-server.js";
export { loadProject, type KeelConfig, type Project } from "./project/keel-config.js";
export { scaffoldProject } from "./project/scaffold.js";
export { vegaDatasetPath } from "./datasets/vega-datasets.js";
