import type { SqlBackend } from "../schema.js";

/** What a migration needs to know beyond the database handle. */
export interface MigrationContext {
  /** Backend, for the few column types that differ (auto-increment keys). */
  readonly backend: SqlBackend;
  /** Artifact location of the default experiment created by the first migration. */
  readonly defaultExperimentArtifactLocation: string;
}
