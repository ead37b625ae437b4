/**
 * `keel data verify`: re-hash every cache object and list those whose bytes no longer match
 * their name (bit rot, truncation, an edit through a hard link).
 */
import { readFile } from "node:fs/promises";
import { READ_CONCURRENCY } from "./content-scan.js";
import { decodeDirObject } from "./dir-manifest.js";
import { hashFile } from "./hash-file.js";
import { mapBounded } from "./map-bounded.js";
import { parseObjectKey } from "./object-key.js";
import { type ProgressSink, withProgress } from "./progress-sink.js";
import type { Workspace } from "./workspace.js";

/** A damaged object. */
export interface CorruptedObject {
  key: string;
  path: string;
  size: number;
  /** What was found instead of the expected content. */
  reason: string;
}

/** Result of {@link verifyCache}. */
export interface VerifyReport {
  /** Objects checked. */
  checked: number;
  /** Bytes read. */
  bytes: number;
  corrupted: CorruptedObject[];
}

/** Check every object of the workspace's cache. */
export async function verifyCache(ws: Workspace, progress?: ProgressSink): Promise<VerifyReport> {
  const objects = await ws.cache.list();
  const total = objects.reduce((sum, o) => sum + o.size, 0);
  const reasons = await withProgress(progress, total, "verifying", (advance) =>
    mapBounded(objects, READ_CONCURRENCY, async (o): Promise<string | null> => {
      const parsed = parseObjectKey(o.key);
      if (parsed === null) return null;
      if (parsed.isDir) {
        const bytes = await readFile(o.path);
        advance?.(bytes.length);
        return decodeDirObject(bytes, parsed.digest) === null ? "manifest does not match its name" : null;
      }
      const { sha256 } = await hashFile(o.path, advance);
      return sha256 === parsed.digest ? null : `content hashes to ${sha256}`;
    }),
  );
  const corrupted = objects.flatMap((o, i) => {
    const reason = reasons[i];
    return reason ? [{ key: o.key, path: o.path, size: o.size, reason }] : [];
  });
  return { checked: objects.length, bytes: total, corrupted };
}
