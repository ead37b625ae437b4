/**
 * Serving endpoints: one row per endpoint holding its traffic policy (JSON) and revision, and an
 * append-only event table keyed by (endpoint, seq).
 */
import type { Kysely, Migration } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped schema
type AnyDb = Kysely<any>;

/** The third migration. */
export function endpointsMigration(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable("endpoints")
        .addColumn("name", "varchar(256)", (col) => col.primaryKey())
        .addColumn("policy", "text", (col) => col.notNull())
        .addColumn("revision", "bigint", (col) => col.notNull())
        .addColumn("created_at", "bigint", (col) => col.notNull())
        .addColumn("updated_at", "bigint", (col) => col.notNull())
        .execute();
      await db.schema
        .createTable("endpoint_events")
        .addColumn("endpoint", "varchar(256)", (col) => col.notNull())
        .addColumn("seq", "bigint", (col) => col.notNull())
        .addColumn("revision", "bigint", (col) => col.notNull())
        .addColumn("time", "bigint", (col) => col.notNull())
        .addColumn("type", "varchar(32)", (col) => col.notNull())
        .addColumn("actor", "varchar(256)", (col) => col.notNull())
        .addColumn("message", "text", (col) => col.notNull())
        .addColumn("details", "text")
        .addPrimaryKeyConstraint("endpoint_events_pk", ["endpoint", "seq"])
        .execute();
    },
  };
}
