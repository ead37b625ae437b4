/**
 * A Kysely driver for one better-sqlite3 connection that is safe with several writing processes.
 *
 * Why this exists instead of Kysely's SqliteDriver:
 * - Write transactions start with BEGIN IMMEDIATE. A plain (deferred) BEGIN takes the write lock
 *   only at the first write, and when another process holds it SQLite returns SQLITE_BUSY in the
 *   middle of the transaction without waiting. IMMEDIATE takes the lock up front, where the
 *   connection's busy_timeout makes a second writer wait its turn instead of failing.
 *   Read-only transactions (`setAccessMode("read only")`) stay deferred so readers never queue
 *   behind writers (WAL lets them read a consistent snapshot concurrently).
 * - Prepared statements are cached per SQL text: the store issues the same few shapes repeatedly.
 */
import type Database from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from "kysely";

const STATEMENT_CACHE_SIZE = 256;

/**
 * The one place where this process serialises its SQLite work. better-sqlite3 is synchronous and
 * there is a single connection, so two async transactions must never interleave their statements
 * on it: whoever holds the connection (from acquire to release, i.e. a whole transaction) has it
 * alone; the others wait here in FIFO order. Across processes, BEGIN IMMEDIATE + busy_timeout
 * does the same job.
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

/** A Kysely connection over one better-sqlite3 database, with a statement cache. */
class SqliteConnection implements DatabaseConnection {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  #prepare(sql: string): Database.Statement {
    let stmt = this.#statements.get(sql);
    if (stmt === undefined) {
      stmt = this.#db.prepare(sql);
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) this.#statements.clear();
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const stmt = this.#prepare(compiledQuery.sql);
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

/** Kysely driver: one connection, a FIFO queue in front of it, BEGIN IMMEDIATE for writes. */
export class SerializedSqliteDriver implements Driver {
  readonly #db: Database.Database;
  readonly #connection: SqliteConnection;
  readonly #queue = new ConnectionQueue();

  constructor(db: Database.Database) {
    this.#db = db;
    this.#connection = new SqliteConnection(db);
  }

  /** Nothing to do: the database is opened by the caller. */
  async init(): Promise<void> {}

  /** Wait for the single connection. */
  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#queue.acquire();
    return this.#connection;
  }

  /** BEGIN IMMEDIATE for writes, deferred BEGIN for read-only transactions. */
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const begin = settings.accessMode === "read only" ? "begin deferred" : "begin immediate";
    await connection.executeQuery(CompiledQuery.raw(begin));
  }

  /** COMMIT. */
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }

  /** ROLLBACK, unless SQLite already rolled back on its own (e.g. after SQLITE_FULL). */
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.#db.inTransaction) await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  /** Hand the connection to the next waiter. */
  async releaseConnection(): Promise<void> {
    this.#queue.release();
  }

  /** Close the database. */
  async destroy(): Promise<void> {
    this.#db.close();
  }
}
