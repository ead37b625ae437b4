import type { ModelVersion, RunInfo } from "./entities.js";

/** One recorded version of a dataset (`name@version`): what `keel data add` registers. */
export interface DatasetVersion {
  name: string;
  /** 1, 2, ... per name. */
  version: number;
  /** sha256 of the content: the file's hash, or for a folder the hash of its sorted manifest. */
  digest: string;
  /** Total bytes. */
  size: number;
  /** Number of files (1 for a file). */
  fileCount: number;
  /** Workspace path the data was added from, relative to the project root, `/`-separated. */
  path: string;
  /** Column schema as JSON (`{"columns":[{"name","type"}]}`) for tabular files, else undefined. */
  schema?: string | undefined;
  /** Profile summary as JSON (rows, per-column stats) for tabular files, else undefined. */
  profile?: string | undefined;
  /** Git commit of the workspace when the version was recorded, when known. */
  gitCommit?: string | undefined;
  description?: string | undefined;
  createdAt: number;
  userId: string;
}

/** Options for {@link DatasetStore.createDatasetVersion}. */
export type NewDatasetVersion = Omit<DatasetVersion, "version" | "createdAt" | "userId"> & {
  userId?: string | undefined;
};

/** A dataset name with its newest version. */
export interface DatasetSummary {
  name: string;
  latestVersion: number;
  updatedAt: number;
  versionCount: number;
}

/** Who used a dataset version: runs that logged it as an input, and model versions made by those runs. */
export interface DatasetUsage {
  runs: RunInfo[];
  modelVersions: ModelVersion[];
}

/**
 * Dataset versions (Keel's data versioning; MLflow has no equivalent). Every public method is one
 * transaction. Errors are KeelErrors with MLflow codes.
 */
export interface DatasetStore {
  /**
   * Record a new version of `name`. Idempotent: when the newest version already has this digest
   * and path, it is returned unchanged instead of creating a new one.
   */
  createDatasetVersion(v: NewDatasetVersion): Promise<DatasetVersion>;
  /** One version; RESOURCE_DOES_NOT_EXIST naming `name@version` when absent. */
  getDatasetVersion(name: string, version: number): Promise<DatasetVersion>;
  /** The newest version; RESOURCE_DOES_NOT_EXIST when the dataset has none. */
  getLatestDatasetVersion(name: string): Promise<DatasetVersion>;
  /** Every version of a dataset, oldest first (empty when unknown). */
  listDatasetVersions(name: string): Promise<DatasetVersion[]>;
  /** Every dataset name with its newest version, by name. */
  listDatasets(): Promise<DatasetSummary[]>;
  /**
   * Lineage: runs whose inputs include this dataset version (matched by name and digest, or by
   * name and Keel version), and the model versions those runs produced.
   */
  findDatasetUsage(name: string, version: number): Promise<DatasetUsage>;
}
