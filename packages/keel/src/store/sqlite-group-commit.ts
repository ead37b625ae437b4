/**
 * Group commit for SQLite: logBatch calls that arrive while others are waiting for the connection
 * share one transaction (one BEGIN IMMEDIATE, one COMMIT) instead of paying for one each.
 *
 * Why: on SQLite the cost of a small write is mostly its transaction (taking the write lock,
 * writing each touched page to the WAL at COMMIT), and a process has a single connection per file
 * anyway, so concurrent callers already wait in line; letting the line commit together turns N
 * commits into one. What stays exactly as before:
 * - each caller's batch is atomic: it runs inside its own SAVEPOINT, and its error (inactive run,
 *   param conflict, ...) rolls back that batch only and rejects that caller only;
 * - a caller is acknowledged only after the shared COMMIT succeeded, so an acknowledged batch is
 *   as durable as it was with a transaction of its own;
 * - writes still take the lock with BEGIN IMMEDIATE, in the same FIFO queue as every other
 *   transaction of this process, so other processes see the same single-writer protocol.
 */
import { mapDatabaseError } from "./db-errors.js";
import type { ExclusiveSqlite, SqliteSession } from "./sqlite-driver.js";

/** Most callers in one transaction: bounds how long the first of them waits for its commit. */
const MAX_GROUP_SIZE = 64;

/** The savepoint around each member's work. */
const SAVEPOINT = "keel_group_member";

/** One caller's work: synchronous statements on the session, throwing to fail this caller only. */
export type GroupWork = (session: SqliteSession) => void;

interface Member {
  readonly work: GroupWork;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** What running a group inside one transaction did. */
interface GroupOutcome {
  /** Members whose work failed and was rolled back to their savepoint. */
  readonly failed: Map<Member, unknown>;
  /** The member whose failure made SQLite roll back the whole transaction, if any. */
  readonly aborted?: { readonly member: Member; readonly error: unknown };
}

/** BEGIN IMMEDIATE, each member in its own savepoint, COMMIT; throws when BEGIN or COMMIT fails. */
function runGroup(session: SqliteSession, group: readonly Member[]): GroupOutcome {
  const failed = new Map<Member, unknown>();
  session.prepare("begin immediate").run();
  try {
    for (const member of group) {
      session.prepare(`savepoint ${SAVEPOINT}`).run();
      try {
        member.work(session);
        session.prepare(`release ${SAVEPOINT}`).run();
      } catch (error) {
        if (!session.inTransaction) return { failed, aborted: { member, error } };
        session.prepare(`rollback to ${SAVEPOINT}`).run();
        session.prepare(`release ${SAVEPOINT}`).run();
        failed.set(member, error);
      }
    }
    session.prepare("commit").run();
  } catch (error) {
    if (session.inTransaction) session.prepare("rollback").run();
    throw error;
  }
  return { failed };
}

/** Collects write work on one SQLite file and commits it in groups (see the module comment). */
export class SqliteGroupCommit {
  readonly #sqlite: ExclusiveSqlite;
  /** The group still taking members: it has not got the connection yet. */
  #open: Member[] | undefined;
  /** Groups submitted and not settled yet, for {@link drain}. */
  readonly #inFlight = new Set<Promise<void>>();

  /** `sqlite` is the driver's exclusive access to the connection the store's Kysely uses. */
  constructor(sqlite: ExclusiveSqlite) {
    this.#sqlite = sqlite;
  }

  /**
   * Run `work` atomically in the next group transaction; resolves once that transaction committed,
   * rejects with the work's own error (database errors mapped as for any store method).
   */
  submit(work: GroupWork): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const member: Member = { work, resolve, reject };
      if (this.#open !== undefined && this.#open.length < MAX_GROUP_SIZE) {
        this.#open.push(member);
        return;
      }
      const group = [member];
      this.#open = group;
      // Wait for the end of this event-loop turn, so requests read in the same I/O phase join.
      const flight = new Promise<void>((turn) => setImmediate(turn)).then(() => this.#commit(group));
      this.#inFlight.add(flight);
      void flight.finally(() => this.#inFlight.delete(flight));
    });
  }

  /** Wait until every submitted work is committed or rejected. */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }

  /** Run `group` in one transaction and settle its members; never rejects. */
  async #commit(group: Member[]): Promise<void> {
    let outcome: GroupOutcome;
    try {
      outcome = await this.#sqlite.runExclusive((session) => {
        this.#close(group);
        return runGroup(session, group);
      });
    } catch (e) {
      // BEGIN or COMMIT failed (e.g. SQLITE_BUSY past busy_timeout): nothing of the group is stored.
      this.#close(group);
      const error = mapDatabaseError(e);
      for (const member of group) member.reject(error);
      return;
    }
    const { failed, aborted } = outcome;
    if (aborted) {
      // SQLite rolled back the whole transaction (e.g. SQLITE_FULL): that member fails, and the
      // others run again in a new transaction, as they would have in transactions of their own.
      aborted.member.reject(mapDatabaseError(aborted.error));
      const rest = group.filter((m) => m !== aborted.member);
      if (rest.length > 0) await this.#commit(rest);
      return;
    }
    for (const member of group) {
      if (failed.has(member)) member.reject(mapDatabaseError(failed.get(member)));
      else member.resolve();
    }
  }

  /** Stop `group` from taking members: it has the connection, or failed to get it. */
  #close(group: Member[]): void {
    if (this.#open === group) this.#open = undefined;
  }
}
