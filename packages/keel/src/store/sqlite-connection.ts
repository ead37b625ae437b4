/**
 * Opens a SQLite metadata database with the settings that make it safe for several processes:
 * WAL (readers never block the writer), busy_timeout (a writer waits for the lock instead of
 * failing), foreign keys on (cascades), synchronous=NORMAL (durable across process crashes in WAL
 * mode; only an OS crash can lose the last commits).
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
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
import { type ExclusiveSqlite, SerializedSqliteDriver } from "./sqlite-driver.js";

/** How long a writer waits for another process's write lock before SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/** SQLite runs DDL inside transactions, so migrations can be atomic (Kysely assumes not). */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** Kysely dialect over the process's shared connection to one SQLite file. */
class KeelSqliteDialect implements Dialect {
  readonly #path: string;
  /** The driver Kysely asked for (it does so once, in its constructor). */
  driver: SerializedSqliteDriver | undefined;

  constructor(path: string) {
    this.#path = path;
  }
  createDriver(): Driver {
    this.driver = new SerializedSqliteDriver(this.#path, () => connect(this.#path));
    return this.driver;
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

/** A new, configured connection to `path`. */
function connect(path: string): BetterSqlite3.Database {
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
  return db;
}

/**
 * A Kysely instance on the SQLite file at absolute `path` (created with its parent folders when
 * missing) or `:memory:`. The file is opened on first use; stores of this process on the same
 * file share one connection.
 */
export function openSqliteDatabase(path: string): Kysely<Database> {
  return openSqliteStoreDatabase(path).db;
}

/** A SQLite database as the metadata store uses it. */
export interface SqliteStoreDatabase {
  /** Kysely over the file, for every statement but the store's synchronous writer. */
  readonly db: Kysely<Database>;
  /** The same driver's raw connection, lent in the same queue (the group-committed logBatch). */
  readonly exclusive: ExclusiveSqlite;
}

/** Like {@link openSqliteDatabase}, also handing out the driver's exclusive access for the store's writer. */
export function openSqliteStoreDatabase(path: string): SqliteStoreDatabase {
  const dialect = new KeelSqliteDialect(path === ":memory:" ? path : resolve(path));
  const db = new Kysely<Database>({ dialect });
  if (!dialect.driver) throw new Error("Kysely did not create the SQLite driver in its constructor");
  return { db, exclusive: dialect.driver };
}
