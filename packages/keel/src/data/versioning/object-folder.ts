/**
 * Listing a folder laid out as `sha256/ab/cdef…` (the cache and every folder remote).
 */
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { isMissing } from "../../artifacts/fs-errors.js";
import { keyFromSegments, OBJECTS_FOLDER, type ObjectKey } from "./object-key.js";

/** An object file found in an object folder. */
export interface ObjectFile {
  key: ObjectKey;
  path: string;
  size: number;
}

/** Entries of a folder, or none when it does not exist. */
export async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    if (isMissing(e)) return [];
    throw e;
  }
}

/** Every object key below `root` (file names that are not object keys are ignored). */
export async function listObjectKeys(root: string): Promise<Set<ObjectKey>> {
  const base = join(root, OBJECTS_FOLDER);
  const keys = new Set<ObjectKey>();
  const shards = await readdirOrEmpty(base);
  await Promise.all(
    shards.map(async (shard) => {
      for (const rest of await readdirOrEmpty(join(base, shard))) {
        const key = keyFromSegments(shard, rest);
        if (key !== null) keys.add(key);
      }
    }),
  );
  return keys;
}

/** Every object below `root` with its path and size, sorted by key. */
export async function listObjectFiles(root: string): Promise<ObjectFile[]> {
  const base = join(root, OBJECTS_FOLDER);
  const out: ObjectFile[] = [];
  for (const key of [...(await listObjectKeys(root))].sort()) {
    const path = join(base, key.slice(0, 2), key.slice(2));
    const st = await lstat(path).catch(() => null);
    if (st?.isFile()) out.push({ key, path, size: st.size });
  }
  return out;
}
