/**
 * Folder manifests. A folder's digest is the sha256 of its manifest text: one line
 * `relpath<TAB>sha256<TAB>size` per file, sorted by path in UTF-8 byte order, each ending in a
 * newline. The cache keeps the manifest as a `<digest>.dir` JSON object (as DVC does); reading
 * one back checks that it still hashes to its name.
 */
import { z } from "zod";
import { compareUtf8 } from "./folder-walk.js";
import { SHA256_HEX, sha256Hex } from "./hash-file.js";

/** One file of a folder manifest. */
export interface ManifestEntry {
  /** Path relative to the folder, `/`-separated. */
  path: string;
  sha256: string;
  size: number;
}

/** Suffix of folder-manifest objects in the cache (`<digest>.dir`). */
export const DIR_SUFFIX = ".dir";

const DirObjectSchema = z.object({
  format: z.literal(1),
  files: z.array(
    z.object({
      path: z.string().min(1),
      sha256: z.string().regex(SHA256_HEX),
      size: z.number().int().nonnegative(),
    }),
  ),
});

/** The manifest text the folder digest is computed over. */
export function manifestText(entries: readonly ManifestEntry[]): string {
  return entries.map((e) => `${e.path}\t${e.sha256}\t${e.size}\n`).join("");
}

/** The folder digest of a manifest (entries must already be sorted). */
export function folderDigest(entries: readonly ManifestEntry[]): string {
  return sha256Hex(manifestText(entries));
}

/** Sort entries into manifest order. */
export function sortManifest(entries: ManifestEntry[]): ManifestEntry[] {
  return entries.sort((a, b) => compareUtf8(a.path, b.path));
}

/** The bytes of a `.dir` object: deterministic JSON (sorted entries, fixed key order). */
export function encodeDirObject(entries: readonly ManifestEntry[]): Buffer {
  const files = entries.map((e) => ({ path: e.path, sha256: e.sha256, size: e.size }));
  return Buffer.from(`${JSON.stringify({ format: 1, files })}\n`);
}

/**
 * Parse a `.dir` object and check it against `digest`.
 * @returns the entries, or null when the bytes are not a manifest or do not hash to `digest`.
 */
export function decodeDirObject(bytes: Buffer, digest: string): ManifestEntry[] | null {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString("utf8"));
  } catch {
    return null;
  }
  const parsed = DirObjectSchema.safeParse(raw);
  if (!parsed.success) return null;
  const entries = parsed.data.files;
  return folderDigest(entries) === digest ? entries : null;
}
