/**
 * A Kysely driver for better-sqlite3 that is safe with several writing processes, and with several
 * stores on one file inside one process.
 *
 * Why this exists instead of Kysely's SqliteDriver:
 * - Write transactions start with BEGIN IMMEDIATE. A plain (deferred) BEGIN takes the write lock
 *   only at the first write, and when another process holds it SQLite returns SQLITE_BUSY in the
 *   middle of the transaction without waiting. IMMEDIATE takes the lock up front, where the
 *   connection's busy_timeout makes a second writer wait its turn instead of failing.
 *   Read-only transactions (`setAccessMode("read only")`) stay deferred so readers never queue
 *   behind writers of other processes (WAL gives them a consistent snapshot).
 * - One process opens one connection per database file, shared by every store on that file.
 *   better-sqlite3 waits for locks synchronously: a second connection of the same thread waiting
 *   for the first one's lock would block the event loop that the first one needs to finish, and
 *   deadlock until busy_timeout. Sharing the connection turns that into an in-process queue.
 * - Prepared statements are cached per SQL text: the store issues the same few shapes repeatedly.
 * - WAL checkpoints run on a worker thread once a file is busy (sqlite-checkpointer.ts), so the
 *   event loop does not wait for their fsyncs.
 * - `runExclusive` lends the raw connection, in its turn of the same queue, to work that runs a
 *   whole transaction synchronously (the group-committed logBatch): with no await between its
 *   statements nothing can interleave, and prepared statements skip Kysely's query building.
 */
import type Database from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from "kysely";
import { SqliteCheckpointer } from "./sqlite-checkpointer.js";

const STATEMENT_CACHE_SIZE = 256;

/**
 * The one place where this process serialises its SQLite work. better-sqlite3 is synchronous and
 * each file has a single connection per process, so two async transactions must never interleave
 * their statements on it: whoever holds the connection (from acquire to release, i.e. a whole
 * transaction) has it alone; the others wait here in FIFO order. Across processes,
 * BEGIN IMMEDIATE + busy_timeout does the same job.
 */
class ConnectionQueue {
  #tail: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;

  async acquire(): Promise<void> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    this.#release = release;
  }

  release(): void {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }
}

/**
 * Synchronous use of a file's shared connection, lent by {@link SerializedSqliteDriver.runExclusive}.
 * Valid only during that call.
 */
export interface SqliteSession {
  /** The prepared statement for `sql`, from the connection's cache. */
  prepare(sql: string): Database.Statement;
  /** True while a transaction is open (false once SQLite rolled one back on its own, e.g. SQLITE_FULL). */
  readonly inTransaction: boolean;
}

/** The part of the driver that the store's synchronous writer may use. */
export interface ExclusiveSqlite {
  /**
   * Run `work` (a write) alone on the shared connection once every earlier user of it (Kysely transactions
   * included) is done; nothing else runs on it until `work` returns.
   */
  runExclusive<T>(work: (session: SqliteSession) => T): Promise<T>;
}

/** A Kysely connection over one better-sqlite3 database, with a statement cache. */
class SqliteConnection implements DatabaseConnection, SqliteSession {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  get inTransaction(): boolean {
    return this.#db.inTransaction;
  }

  prepare(sql: string): Database.Statement {
    let stmt = this.#statements.get(sql);
    if (stmt === undefined) {
      stmt = this.#db.prepare(sql);
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) this.#statements.clear();
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const stmt = this.prepare(compiledQuery.sql);
    const parameters = compiledQuery.parameters as unknown[];
    if (stmt.reader) return { rows: stmt.all(parameters) as R[] };
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  // biome-ignore lint/correctness/useYield: streaming is not used by the store
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("streaming queries are not supported by the Keel SQLite driver");
  }
}

/** One open database file of this process: its connection, its queue, and how many drivers use it. */
interface SharedDatabase {
  readonly db: Database.Database;
  readonly connection: SqliteConnection;
  readonly queue: ConnectionQueue;
  /** Background WAL checkpoints (WAL files only). */
  readonly checkpointer: SqliteCheckpointer | undefined;
  /** The transaction in progress writes (its COMMIT may grow the WAL). */
  writing: boolean;
  refs: number;
}

// Kept on globalThis so that two copies of this module (e.g. sources and compiled output loaded in
// one process) still share one connection per file.
const REGISTRY_KEY = Symbol.for("keel.store.sqlite.shared-databases");
const holder = globalThis as { [REGISTRY_KEY]?: Map<string, SharedDatabase> };
holder[REGISTRY_KEY] ??= new Map<string, SharedDatabase>();
const registry: Map<string, SharedDatabase> = holder[REGISTRY_KEY];

/**
 * The shared database of `key` (an absolute path; `:memory:` is never shared), opened with `open`
 * when this process does not have it yet.
 */
function acquireShared(key: string, open: () => Database.Database): SharedDatabase {
  const existing = key === ":memory:" ? undefined : registry.get(key);
  if (existing) {
    existing.refs++;
    return existing;
  }
  const db = open();
  const wal = !db.readonly && db.pragma("journal_mode", { simple: true }) === "wal";
  const busyTimeoutMs = Number(db.pragma("busy_timeout", { simple: true }));
  const shared: SharedDatabase = {
    db,
    connection: new SqliteConnection(db),
    queue: new ConnectionQueue(),
    checkpointer: wal ? new SqliteCheckpointer(db, key, busyTimeoutMs) : undefined,
    writing: false,
    refs: 1,
  };
  if (key !== ":memory:") registry.set(key, shared);
  return shared;
}

async function releaseShared(key: string, shared: SharedDatabase): Promise<void> {
  if (--shared.refs > 0) return;
  if (registry.get(key) === shared) registry.delete(key);
  // The worker's connection closes first, so this one is the last and cleans the WAL up.
  await shared.checkpointer?.close();
  // SQLite's advice for long-lived connections: refresh planner statistics before closing.
  if (shared.db.open && !shared.db.readonly) shared.db.pragma("optimize");
  shared.db.close();
}

/** Kysely driver: one shared connection per file, a FIFO queue in front of it, BEGIN IMMEDIATE for writes. */
export class SerializedSqliteDriver implements Driver, ExclusiveSqlite {
  readonly #key: string;
  readonly #open: () => Database.Database;
  #shared: SharedDatabase | undefined;

  /** `key` is the absolute database path; `open` opens and configures a new connection to it. */
  constructor(key: string, open: () => Database.Database) {
    this.#key = key;
    this.#open = open;
  }

  get #db(): SharedDatabase {
    if (!this.#shared) throw new Error("the SQLite driver is not initialised or already destroyed");
    return this.#shared;
  }

  /** Open the file, or join this process's connection to it. */
  async init(): Promise<void> {
    this.#shared = acquireShared(this.#key, this.#open);
  }

  /** Wait for the shared connection. */
  async acquireConnection(): Promise<DatabaseConnection> {
    const shared = this.#db;
    await shared.queue.acquire();
    return shared.connection;
  }

  /** Run synchronous `work` in this file's turn of the queue (see {@link ExclusiveSqlite}). */
  async runExclusive<T>(work: (session: SqliteSession) => T): Promise<T> {
    const shared = this.#db;
    await shared.queue.acquire();
    try {
      return work(shared.connection);
    } finally {
      shared.checkpointer?.committed();
      shared.queue.release();
    }
  }

  /** BEGIN IMMEDIATE for writes, deferred BEGIN for read-only transactions. */
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const shared = this.#db;
    shared.writing = settings.accessMode !== "read only";
    await connection.executeQuery(CompiledQuery.raw(shared.writing ? "begin immediate" : "begin deferred"));
  }

  /** COMMIT. */
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
    if (this.#db.writing) this.#db.checkpointer?.committed();
  }

  /** ROLLBACK, unless SQLite already rolled back on its own (e.g. after SQLITE_FULL). */
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.#db.db.inTransaction) await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  /** Hand the connection to the next waiter. */
  async releaseConnection(): Promise<void> {
    this.#db.queue.release();
  }

  /** Leave the shared connection; the last driver on a file closes it. */
  async destroy(): Promise<void> {
    const shared = this.#shared;
    this.#shared = undefined;
    if (shared) await releaseShared(this.#key, shared);
  }
}
