/**
 * Hashes of a model package. `manifestSha256` is the SHA-256 of the manifest's canonical JSON
 * (object keys sorted at every level, no whitespace) without that field; @keel/runtime computes
 * the same (packages/runtime/src/sha256.ts) — the two must stay byte-identical, which the
 * package round-trip tests check by loading Keel-written packages with the runtime.
 */
import { createHash } from "node:crypto";

/** Lower-case hex SHA-256 of `bytes`. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** JSON with object keys sorted at every level (undefined members dropped, as JSON.stringify does). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The `manifestSha256` of a manifest object (its own `manifestSha256` member is ignored). */
export function manifestDigest(manifest: Readonly<Record<string, unknown>>): string {
  const { manifestSha256: _ignored, ...rest } = manifest;
  return sha256Hex(canonicalJson(rest));
}
