/** Opens a PostgreSQL metadata database through a pg Pool. */
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";

/** OID of int8/bigint: times and counts. pg returns them as strings by default. */
const INT8_OID = 20;

/** Connections per store; PostgreSQL runs transactions of different connections in parallel. */
const POOL_SIZE = 10;

/**
 * Open a pool on `uri` (`postgresql://user:pass@host:port/db`). bigint columns come back as
 * numbers: they hold ms timestamps and steps, far below 2^53.
 */
export function openPostgresDatabase(uri: string): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: uri,
    max: POOL_SIZE,
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as never,
    },
  });
  // An idle client losing its server would otherwise be an unhandled 'error' event and kill the
  // process; the next query on the pool reports the problem instead.
  pool.on("error", () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
