/**
 * Dataset versions (`keel data add`): one row per `name@version`, numbered per name, with the
 * content digest and the schema/profile summary of tables. Plus an index on the MLflow
 * `datasets` table by (name, digest), which lineage queries ("which runs used NAME@N") search.
 */
import type { Kysely, Migration } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped schema
type AnyDb = Kysely<any>;

/** The second migration. */
export function datasetVersionsMigration(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable("dataset_versions")
        .addColumn("name", "varchar(256)", (col) => col.notNull())
        .addColumn("version", "integer", (col) => col.notNull())
        .addColumn("digest", "varchar(256)", (col) => col.notNull())
        .addColumn("size", "bigint", (col) => col.notNull())
        .addColumn("file_count", "bigint", (col) => col.notNull())
        .addColumn("path", "text", (col) => col.notNull())
        .addColumn("schema", "text")
        .addColumn("profile", "text")
        .addColumn("git_commit", "varchar(64)")
        .addColumn("description", "text")
        .addColumn("created_at", "bigint", (col) => col.notNull())
        .addColumn("user_id", "varchar(256)", (col) => col.notNull())
        .addPrimaryKeyConstraint("dataset_versions_pk", ["name", "version"])
        .execute();
      await db.schema
        .createIndex("dataset_versions_digest_idx")
        .on("dataset_versions")
        .column("digest")
        .execute();
      await db.schema
        .createIndex("datasets_name_digest_idx")
        .on("datasets")
        .columns(["name", "digest"])
        .execute();
    },
  };
}
