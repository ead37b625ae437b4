/**
 * What deps and outputs hold now: the digest (and size, file count) of each file or folder,
 * computed through the data cache's stat cache, so unchanged files are never re-read. With an
 * object cache, content is also copied into it (how a successful stage's outputs are saved).
 */
import { lstat } from "node:fs/promises";
import { isMissing } from "../artifacts/fs-errors.js";
import { scanPath } from "../data/versioning/content-scan.js";
import { HASH_ALGO } from "../data/versioning/hash-file.js";
import type { ObjectCache } from "../data/versioning/object-cache.js";
import type { StatCache } from "../data/versioning/stat-cache.js";
import { toAbs, type Workspace } from "../data/versioning/workspace.js";
import type { LockedFile } from "./lockfile.js";

/**
 * The content at root-relative `rel`, or null when nothing is there.
 * @param cache - when given, the content is saved into it (a folder's manifest too).
 * @param cacheFlag - recorded on the result (false for `cache: false` outputs).
 */
export async function contentAt(
  ws: Workspace,
  stat: StatCache,
  rel: string,
  options: { cache?: ObjectCache | undefined; cacheFlag?: boolean } = {},
): Promise<LockedFile | null> {
  const abs = toAbs(ws, rel);
  let isdir: boolean;
  try {
    isdir = (await lstat(abs)).isDirectory();
  } catch (e) {
    if (isMissing(e)) return null;
    throw e;
  }
  const scan = await scanPath(abs, rel, isdir, { stat, cache: options.cache });
  if (options.cache !== undefined && scan.entries !== null)
    await options.cache.putManifest(scan.digest, scan.entries);
  return {
    path: rel,
    hash: { algo: HASH_ALGO, value: scan.digest },
    meta: { size: scan.size, nfiles: scan.nfiles, isdir },
    cache: options.cacheFlag ?? true,
  };
}

/** True when two records name the same content. */
export function sameContent(a: LockedFile | null | undefined, b: LockedFile | null | undefined): boolean {
  return a != null && b != null && a.hash.value === b.hash.value && a.meta.isdir === b.meta.isdir;
}
