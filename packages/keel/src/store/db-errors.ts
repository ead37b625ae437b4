/** Recognise database errors that the store turns into typed KeelErrors. */
import { KeelError } from "../errors.js";

/** True for a unique / primary key violation on SQLite (SQLITE_CONSTRAINT_*) or PostgreSQL (23505). */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

const UNAVAILABLE_CODES = new Set([
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "57P03",
]);

/**
 * Turn "the database cannot serve this now" errors into TEMPORARILY_UNAVAILABLE with a message
 * that says what to do; anything else is returned unchanged (a KeelError, or a bug → 500).
 */
export function mapDatabaseError(e: unknown): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) {
    const reason = e instanceof Error ? e.message : String(e);
    return new KeelError(
      "TEMPORARILY_UNAVAILABLE",
      `The metadata database is not available right now (${code}: ${reason}). Another process may hold a long write lock, or the server is down; retry shortly.`,
      { cause: e },
    );
  }
  return e;
}
