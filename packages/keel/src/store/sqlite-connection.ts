/**
 * Opens a SQLite metadata database with the settings that make it safe for several processes:
 * WAL (readers never block the writer), busy_timeout (a writer waits for the lock instead of
 * failing), foreign keys on (cascades), synchronous=NORMAL (durable across process crashes in WAL
 * mode; only an OS crash can lose the last commits).
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import {
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  Kysely,
  type QueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";
import { KeelError } from "../errors.js";
import type { Database } from "./schema.js";
import { SerializedSqliteDriver } from "./sqlite-driver.js";

/** How long a writer waits for another process's write lock before SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/** SQLite runs DDL inside transactions, so migrations can be atomic (Kysely assumes not). */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** Kysely dialect over an already opened better-sqlite3 database. */
class KeelSqliteDialect implements Dialect {
  readonly #db: BetterSqlite3.Database;

  constructor(db: BetterSqlite3.Database) {
    this.#db = db;
  }
  createDriver(): Driver {
    return new SerializedSqliteDriver(this.#db);
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

/** Open (creating it and its parent folders if needed) the SQLite file at `path`, or `:memory:`. */
export function openSqliteDatabase(path: string): Kysely<Database> {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(path, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  } catch (e) {
    throw new KeelError(
      "INVALID_PARAMETER_VALUE",
      `Cannot open the SQLite metadata database '${path}': ${(e as Error).message}. Check the path and its permissions.`,
      { cause: e },
    );
  }
  // busy_timeout first: switching to WAL itself needs a lock another process may hold.
  db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  if (path !== ":memory:") db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  return new Kysely<Database>({ dialect: new KeelSqliteDialect(db) });
}
