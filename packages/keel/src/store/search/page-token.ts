/**
 * Offset page tokens and max_results validation, shaped like MLflow's
 * (`SearchUtils.create_page_token` / `parse_start_offset_from_page_token`).
 */
import { invalidParam } from "../../errors.js";

/** Encode the offset of the next page as base64 JSON `{"offset":n}`; treat the result as opaque. */
export function encodePageToken(offset: number): string {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw invalidParam(`Invalid page offset ${offset}: it must be a non-negative integer`);
  }
  return Buffer.from(JSON.stringify({ offset }), "utf8").toString("base64");
}

// Buffer.from(..., "base64") silently skips bad characters, so check the alphabet first.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decode a page token to its offset; no token means offset 0. Throws INVALID_PARAMETER_VALUE on anything else. */
export function decodePageToken(token: string | undefined): number {
  if (token === undefined || token === "") return 0;
  const bad = () =>
    invalidParam(
      `Invalid page token '${token.length > 40 ? `${token.slice(0, 40)}...` : token}': ` +
        "pass back the nextPageToken of the previous page unchanged, or omit page_token for the first page",
    );
  if (!BASE64.test(token)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64").toString("utf8"));
  } catch {
    throw bad();
  }
  const raw =
    typeof parsed === "object" && parsed !== null ? (parsed as { offset?: unknown }).offset : undefined;
  // MLflow stores the offset as an int but parses with int(), so accept a digit string too.
  const offset = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof offset !== "number" || !Number.isSafeInteger(offset) || offset < 0) throw bad();
  return offset;
}

/** Bounds for {@link clampMaxResults}. */
export interface MaxResultsBounds {
  /** Used when the caller passed nothing; default 1000. */
  default?: number;
  /** Largest accepted value; default 50,000 (MLflow's limit for search_runs). */
  max?: number;
  /** Field name for the message; default `max_results`. */
  field?: string;
}

/**
 * Validate a page size: `undefined` gives the default; values below 1, above `max` or not integers
 * raise INVALID_PARAMETER_VALUE (MLflow rejects rather than silently clamps).
 */
export function clampMaxResults(n: number | undefined | null, bounds: MaxResultsBounds = {}): number {
  const { default: fallback = 1000, max = 50_000, field = "max_results" } = bounds;
  if (n === undefined || n === null) return fallback;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw invalidParam(`Invalid value ${n} for ${field}: it must be an integer between 1 and ${max}`);
  }
  return n;
}
