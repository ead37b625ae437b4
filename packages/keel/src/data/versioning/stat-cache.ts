/**
 * The stat cache `.keel/state.db`: (path, inode, size, mtime in ns) -> sha256, so a file whose
 * stat is unchanged is never read again. SQLite in WAL mode with a busy timeout, so several
 * `keel` processes can read and write it at once; every batch of updates is one transaction.
 *
 * An entry is only trusted when the file's mtime is older than the moment its hash was taken by
 * more than {@link RACY_WINDOW_NS} ("racy git"): a write landing in the same timestamp tick as
 * the hash would otherwise go unnoticed.
 */
import { type BigIntStats, mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";

/** Files modified less than this long before being hashed are re-hashed next time. */
export const RACY_WINDOW_NS = 50_000_000n;

/** How long a writer waits for another process's lock. */
const BUSY_TIMEOUT_MS = 10_000;

/** One remembered hash. */
export interface StatEntry {
  /** Path relative to the project root, `/`-separated. */
  path: string;
  inode: string;
  size: number;
  mtimeNs: string;
  sha256: string;
}

/** The part of a stat that identifies a file's content version. */
export interface StatStamp {
  inode: string;
  size: number;
  mtimeNs: string;
}

/** The stamp of a `stat(..., { bigint: true })` result. */
export function stampOf(st: BigIntStats): StatStamp {
  return { inode: st.ino.toString(), size: Number(st.size), mtimeNs: st.mtimeNs.toString() };
}

/** True when a remembered entry still describes the file with stamp `s`. */
export function entryMatches(entry: StatEntry | undefined, s: StatStamp): entry is StatEntry {
  return (
    entry !== undefined && entry.inode === s.inode && entry.size === s.size && entry.mtimeNs === s.mtimeNs
  );
}

/** The current wall clock in ns, as file timestamps count it. */
export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/** A configured connection with the table in place. */
function connect(path: string): BetterSqlite3.Database {
  const db = new BetterSqlite3(path, { timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma("journal_mode = WAL");
    // WAL + NORMAL: commits skip fsync (a lost update only costs a re-hash) yet stay crash-safe.
    db.pragma("synchronous = NORMAL");
    db.exec(
      "CREATE TABLE IF NOT EXISTS file_hashes (path TEXT PRIMARY KEY, inode TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns TEXT NOT NULL, sha256 TEXT NOT NULL) WITHOUT ROWID",
    );
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** The stat cache of one project. Open with {@link StatCache.open}; `close()` when done. */
export class StatCache {
  readonly #db: BetterSqlite3.Database;
  readonly #get: BetterSqlite3.Statement<[string], StatEntry>;
  readonly #under: BetterSqlite3.Statement<[string, string, string], StatEntry>;
  readonly #put: BetterSqlite3.Statement<[string, string, number, string, string]>;

  private constructor(db: BetterSqlite3.Database) {
    this.#db = db;
    const columns = "path, inode, size, mtime_ns AS mtimeNs, sha256";
    this.#get = db.prepare(`SELECT ${columns} FROM file_hashes WHERE path = ?`);
    this.#under = db.prepare(`SELECT ${columns} FROM file_hashes WHERE path = ? OR (path >= ? AND path < ?)`);
    this.#put = db.prepare(
      "INSERT OR REPLACE INTO file_hashes (path, inode, size, mtime_ns, sha256) VALUES (?, ?, ?, ?, ?)",
    );
  }

  /** Open (creating when needed) the stat cache at `path`. */
  static open(path: string): StatCache {
    mkdirSync(dirname(path), { recursive: true });
    try {
      return new StatCache(connect(path));
    } catch (e) {
      // It is only a cache: a damaged file is replaced by an empty one (files get re-hashed).
      const code = (e as { code?: string }).code;
      if (code !== "SQLITE_CORRUPT" && code !== "SQLITE_NOTADB") throw e;
      for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
      return new StatCache(connect(path));
    }
  }

  /** The entry of one path. */
  get(path: string): StatEntry | undefined {
    return this.#get.get(path);
  }

  /** Every entry for `path` itself and below it (one range scan), by path. */
  under(path: string): Map<string, StatEntry> {
    // "/" + 1 is "0": [path/, path0) holds exactly the paths below `path`.
    const rows = this.#under.all(path, `${path}/`, `${path}0`);
    return new Map(rows.map((r) => [r.path, r]));
  }

  /**
   * Remember hashes taken at `hashedAtNs` (a time before the reads began). Entries whose mtime is
   * too close to that moment are skipped: they will be hashed again next time.
   */
  record(entries: readonly StatEntry[], hashedAtNs: bigint): void {
    this.#write(entries.filter((e) => BigInt(e.mtimeNs) + RACY_WINDOW_NS < hashedAtNs));
  }

  /**
   * Remember files Keel itself just wrote from verified objects: their content is known without
   * reading them, so the racy-timestamp rule does not apply.
   */
  recordWritten(entries: readonly StatEntry[]): void {
    this.#write(entries);
  }

  #write(entries: readonly StatEntry[]): void {
    if (entries.length === 0) return;
    this.#db
      .transaction(() => {
        for (const e of entries) this.#put.run(e.path, e.inode, e.size, e.mtimeNs, e.sha256);
      })
      .immediate();
  }

  /** Close the database. */
  close(): void {
    this.#db.close();
  }
}
