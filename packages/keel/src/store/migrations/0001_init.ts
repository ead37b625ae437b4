/**
 * First schema: tracking (experiments, runs, params, metrics, tags, datasets/inputs) and registry
 * (models, versions, tags, aliases, alias history), with the indexes that keep run search fast on
 * tens of thousands of runs, and MLflow's "Default" experiment with id 0.
 */
import {
  type ColumnDefinitionBuilder,
  type CreateTableBuilder,
  type ForeignKeyConstraintBuilder,
  type Kysely,
  type Migration,
  sql,
} from "kysely";
import type { MigrationContext } from "./migration-context.js";

type Col = (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped schema
type AnyDb = Kysely<any>;

const notNull: Col = (col) => col.notNull();
const cascade = (fk: ForeignKeyConstraintBuilder): ForeignKeyConstraintBuilder =>
  fk.onDelete("cascade").onUpdate("cascade");

/**
 * SQLite stores a table with a TEXT primary key twice (rowid table + key index), so every lookup
 * by key searches two b-trees. Tables looked up by (run_uuid, key) are WITHOUT ROWID there: the key
 * index is the table. PostgreSQL has no such distinction.
 */
function keyedBy<T extends string>(
  table: CreateTableBuilder<T>,
  ctx: MigrationContext,
): CreateTableBuilder<T> {
  return ctx.backend === "sqlite" ? table.modifyEnd(sql`without rowid`) : table;
}

/** An auto-increment integer primary key in the backend's own spelling. */
function withSerialKey<T extends string>(
  table: CreateTableBuilder<T>,
  column: string,
  ctx: MigrationContext,
): CreateTableBuilder<T> {
  return ctx.backend === "postgresql"
    ? table.addColumn(column, "serial", (col) => col.primaryKey())
    : table.addColumn(column, "integer", (col) => col.primaryKey().autoIncrement());
}

async function createTrackingTables(db: AnyDb, ctx: MigrationContext): Promise<void> {
  await withSerialKey(db.schema.createTable("experiments"), "experiment_id", ctx)
    .addColumn("name", "varchar(256)", (col) => col.notNull().unique())
    .addColumn("artifact_location", "text", notNull)
    .addColumn("lifecycle_stage", "varchar(32)", notNull)
    .addColumn("creation_time", "bigint", notNull)
    .addColumn("last_update_time", "bigint", notNull)
    .execute();

  await db.schema
    .createTable("experiment_tags")
    .addColumn("experiment_id", "integer", notNull)
    .addColumn("key", "varchar(250)", notNull)
    .addColumn("value", "text", notNull)
    .addPrimaryKeyConstraint("experiment_tags_pk", ["experiment_id", "key"])
    .addForeignKeyConstraint(
      "experiment_tags_fk",
      ["experiment_id"],
      "experiments",
      ["experiment_id"],
      cascade,
    )
    .execute();

  await db.schema
    .createTable("runs")
    .addColumn("run_uuid", "varchar(32)", (col) => col.primaryKey())
    .addColumn("run_name", "varchar(250)", notNull)
    .addColumn("experiment_id", "integer", notNull)
    .addColumn("user_id", "varchar(256)", notNull)
    .addColumn("status", "varchar(20)", notNull)
    .addColumn("start_time", "bigint", notNull)
    .addColumn("end_time", "bigint")
    .addColumn("deleted_time", "bigint")
    .addColumn("artifact_uri", "text", notNull)
    .addColumn("lifecycle_stage", "varchar(20)", notNull)
    .addColumn("parent_run_id", "varchar(32)")
    .addColumn("source_type", "varchar(20)", notNull)
    .addColumn("source_name", "varchar(500)", notNull)
    .addColumn("entry_point_name", "varchar(50)", notNull)
    .addColumn("source_version", "varchar(50)", notNull)
    .addForeignKeyConstraint("runs_experiment_fk", ["experiment_id"], "experiments", ["experiment_id"])
    .execute();
  // Covers the run search scan (experiment, lifecycle stage) and its default order
  // (start_time DESC, run_uuid) without touching the table rows.
  await db.schema
    .createIndex("runs_experiment_stage_start_idx")
    .on("runs")
    .columns(["experiment_id", "lifecycle_stage", "start_time", "run_uuid"])
    .execute();
  await db.schema.createIndex("runs_parent_idx").on("runs").column("parent_run_id").execute();

  await keyedBy(db.schema.createTable("params"), ctx)
    .addColumn("run_uuid", "varchar(32)", notNull)
    .addColumn("key", "varchar(250)", notNull)
    .addColumn("value", "text", notNull)
    .addPrimaryKeyConstraint("params_pk", ["run_uuid", "key"])
    .addForeignKeyConstraint("params_run_fk", ["run_uuid"], "runs", ["run_uuid"], cascade)
    .execute();

  await keyedBy(db.schema.createTable("metrics"), ctx)
    .addColumn("run_uuid", "varchar(32)", notNull)
    .addColumn("key", "varchar(250)", notNull)
    .addColumn("value", "double precision", notNull)
    .addColumn("timestamp", "bigint", notNull)
    .addColumn("step", "bigint", notNull)
    .addColumn("is_nan", "smallint", (col) => col.notNull().defaultTo(0))
    // MLflow's key: logging the very same measurement twice stores it once.
    .addPrimaryKeyConstraint("metrics_pk", ["run_uuid", "key", "step", "timestamp", "value", "is_nan"])
    .addForeignKeyConstraint("metrics_run_fk", ["run_uuid"], "runs", ["run_uuid"], cascade)
    .execute();

  await keyedBy(db.schema.createTable("latest_metrics"), ctx)
    .addColumn("run_uuid", "varchar(32)", notNull)
    .addColumn("key", "varchar(250)", notNull)
    .addColumn("value", "double precision", notNull)
    .addColumn("timestamp", "bigint", notNull)
    .addColumn("step", "bigint", notNull)
    .addColumn("is_nan", "smallint", (col) => col.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("latest_metrics_pk", ["run_uuid", "key"])
    .addForeignKeyConstraint("latest_metrics_run_fk", ["run_uuid"], "runs", ["run_uuid"], cascade)
    .execute();

  await keyedBy(db.schema.createTable("tags"), ctx)
    .addColumn("run_uuid", "varchar(32)", notNull)
    .addColumn("key", "varchar(250)", notNull)
    .addColumn("value", "text", notNull)
    .addPrimaryKeyConstraint("tags_pk", ["run_uuid", "key"])
    .addForeignKeyConstraint("tags_run_fk", ["run_uuid"], "runs", ["run_uuid"], cascade)
    .execute();

  // Filters like `metrics.acc > 0.9` can be driven from the (key, value) side.
  for (const table of ["latest_metrics", "params", "tags"]) {
    await db.schema.createIndex(`${table}_key_value_idx`).on(table).columns(["key", "value"]).execute();
  }

  await db.schema
    .createTable("datasets")
    .addColumn("dataset_uuid", "varchar(36)", (col) => col.primaryKey())
    .addColumn("experiment_id", "integer", notNull)
    .addColumn("name", "varchar(500)", notNull)
    .addColumn("digest", "varchar(256)", notNull)
    .addColumn("dataset_source_type", "varchar(36)", notNull)
    .addColumn("dataset_source", "text", notNull)
    .addColumn("dataset_schema", "text")
    .addColumn("dataset_profile", "text")
    .addColumn("version", "integer")
    .addUniqueConstraint("datasets_experiment_name_digest_uq", ["experiment_id", "name", "digest"])
    .addForeignKeyConstraint("datasets_experiment_fk", ["experiment_id"], "experiments", ["experiment_id"])
    .execute();

  await db.schema
    .createTable("inputs")
    .addColumn("input_uuid", "varchar(36)", (col) => col.notNull().unique())
    .addColumn("source_type", "varchar(36)", notNull)
    .addColumn("source_id", "varchar(36)", notNull)
    .addColumn("destination_type", "varchar(36)", notNull)
    .addColumn("destination_id", "varchar(36)", notNull)
    .addPrimaryKeyConstraint("inputs_pk", ["source_type", "source_id", "destination_type", "destination_id"])
    .execute();
  await db.schema
    .createIndex("inputs_destination_idx")
    .on("inputs")
    .columns(["destination_type", "destination_id"])
    .execute();

  await db.schema
    .createTable("input_tags")
    .addColumn("input_uuid", "varchar(36)", notNull)
    .addColumn("name", "varchar(255)", notNull)
    .addColumn("value", "varchar(500)", notNull)
    .addPrimaryKeyConstraint("input_tags_pk", ["input_uuid", "name"])
    .addForeignKeyConstraint("input_tags_input_fk", ["input_uuid"], "inputs", ["input_uuid"], cascade)
    .execute();
}

async function createRegistryTables(db: AnyDb, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("registered_models")
    .addColumn("name", "varchar(256)", (col) => col.primaryKey())
    .addColumn("creation_time", "bigint", notNull)
    .addColumn("last_updated_time", "bigint", notNull)
    .addColumn("description", "text")
    .execute();

  await db.schema
    .createTable("registered_model_tags")
    .addColumn("name", "varchar(256)", notNull)
    .addColumn("key", "varchar(250)", notNull)
    .addColumn("value", "text", notNull)
    .addPrimaryKeyConstraint("registered_model_tags_pk", ["name", "key"])
    .addForeignKeyConstraint("registered_model_tags_fk", ["name"], "registered_models", ["name"], cascade)
    .execute();

  // Renames cascade from registered_models.name down to versions, their tags and aliases.
  await db.schema
    .createTable("model_versions")
    .addColumn("name", "varchar(256)", notNull)
    .addColumn("version", "integer", notNull)
    .addColumn("creation_time", "bigint", notNull)
    .addColumn("last_updated_time", "bigint", notNull)
    .addColumn("description", "text")
    .addColumn("user_id", "varchar(256)")
    .addColumn("current_stage", "varchar(20)", notNull)
    .addColumn("source", "text", notNull)
    .addColumn("run_id", "varchar(32)")
    .addColumn("run_link", "text")
    .addColumn("status", "varchar(20)", notNull)
    .addColumn("status_message", "text")
    .addPrimaryKeyConstraint("model_versions_pk", ["name", "version"])
    .addForeignKeyConstraint("model_versions_model_fk", ["name"], "registered_models", ["name"], cascade)
    .execute();
  await db.schema.createIndex("model_versions_run_idx").on("model_versions").column("run_id").execute();

  await db.schema
    .createTable("model_version_tags")
    .addColumn("name", "varchar(256)", notNull)
    .addColumn("version", "integer", notNull)
    .addColumn("key", "varchar(250)", notNull)
    .addColumn("value", "text", notNull)
    .addPrimaryKeyConstraint("model_version_tags_pk", ["name", "version", "key"])
    .addForeignKeyConstraint(
      "model_version_tags_fk",
      ["name", "version"],
      "model_versions",
      ["name", "version"],
      cascade,
    )
    .execute();

  await db.schema
    .createTable("registered_model_aliases")
    .addColumn("name", "varchar(256)", notNull)
    .addColumn("alias", "varchar(256)", notNull)
    .addColumn("version", "integer", notNull)
    .addPrimaryKeyConstraint("registered_model_aliases_pk", ["name", "alias"])
    .addForeignKeyConstraint(
      "registered_model_aliases_fk",
      ["name", "version"],
      "model_versions",
      ["name", "version"],
      cascade,
    )
    .execute();

  await withSerialKey(db.schema.createTable("alias_history"), "id", ctx)
    .addColumn("name", "varchar(256)", notNull)
    .addColumn("alias", "varchar(256)", notNull)
    .addColumn("from_version", "integer")
    .addColumn("to_version", "integer")
    .addColumn("timestamp", "bigint", notNull)
    .addColumn("user_id", "varchar(256)", notNull)
    .addForeignKeyConstraint("alias_history_model_fk", ["name"], "registered_models", ["name"], cascade)
    .execute();
  await db.schema
    .createIndex("alias_history_name_idx")
    .on("alias_history")
    .columns(["name", "alias"])
    .execute();
}

/** MLflow clients and UI expect experiment "0", named "Default". */
async function insertDefaultExperiment(db: AnyDb, ctx: MigrationContext): Promise<void> {
  const now = Date.now();
  await db
    .insertInto("experiments")
    .values({
      experiment_id: 0,
      name: "Default",
      artifact_location: ctx.defaultExperimentArtifactLocation,
      lifecycle_stage: "active",
      creation_time: now,
      last_update_time: now,
    })
    .execute();
}

/** The first migration, bound to its context. */
export function initMigration(ctx: MigrationContext): Migration {
  return {
    async up(db) {
      await createTrackingTables(db, ctx);
      await createRegistryTables(db, ctx);
      await insertDefaultExperiment(db, ctx);
    },
  };
}
