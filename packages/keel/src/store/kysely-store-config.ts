import type { SqlBackend } from "./schema.js";

/** Options of a {@link KyselyMetadataStore}, shared by its repositories. */
export interface KyselyStoreConfig {
  /** SQL backend, for the few statements that differ. */
  readonly backend: SqlBackend;
  /**
   * Root under which experiments without an explicit artifact location keep artifacts:
   * experiment N gets `<root>/N` (MLflow's `--default-artifact-root`), e.g.
   * `file:///abs/.keel/artifacts` or `mlflow-artifacts:/`.
   */
  readonly defaultArtifactRoot: string;
}
