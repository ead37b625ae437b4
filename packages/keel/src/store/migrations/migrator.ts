/**
 * Runs the metadata schema migrations; stores call {@link migrateToLatest} when they open.
 * Kysely's Migrator keeps its bookkeeping in `kysely_migration*` tables and, because both our
 * dialects run DDL inside a transaction, applies pending migrations atomically: two processes
 * opening a fresh database at once serialise on the migration transaction (SQLite: BEGIN
 * IMMEDIATE; PostgreSQL: an advisory lock), so the second one finds nothing left to do.
 */
import { type Kysely, type Migration, Migrator } from "kysely";
import { isKeelError, KeelError } from "../../errors.js";
import { mapDatabaseError } from "../db-errors.js";
import type { Database } from "../schema.js";
import { initMigration } from "./0001_init.js";
import { datasetVersionsMigration } from "./0002_dataset_versions.js";
import { endpointsMigration } from "./0003_endpoints.js";
import type { MigrationContext } from "./migration-context.js";

/** Every migration by name; names sort in application order. */
function allMigrations(ctx: MigrationContext): Record<string, Migration> {
  return {
    "0001_init": initMigration(ctx),
    "0002_dataset_versions": datasetVersionsMigration(),
    "0003_endpoints": endpointsMigration(),
  };
}

/** Bring the database schema up to date; INTERNAL_ERROR naming the failed migration otherwise. */
export async function migrateToLatest(db: Kysely<Database>, ctx: MigrationContext): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => allMigrations(ctx) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const mapped = mapDatabaseError(error);
    if (isKeelError(mapped)) throw mapped;
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "(setup)";
    const reason = error instanceof Error ? error.message : String(error);
    throw new KeelError(
      "INTERNAL_ERROR",
      `Metadata database migration '${failed}' failed: ${reason}. Check that the database is reachable and writable, and that it was not created by a newer Keel.`,
      { cause: error },
    );
  }
}
