/**
 * Names of cache objects. A file's object is named by its sha256; a folder's manifest object by
 * the folder digest plus `.dir`. Objects live at `sha256/<first two hex>/<the rest>` in the
 * cache and in every remote, so the two layouts are the same and `keel data push` is a copy.
 */
import { invalidParam } from "../../errors.js";
import { DIR_SUFFIX } from "./dir-manifest.js";
import { SHA256_HEX } from "./hash-file.js";

/** `digest` or `digest.dir`. */
export type ObjectKey = string;

/** The sub-folder of a cache or remote that holds sha256 objects. */
export const OBJECTS_FOLDER = "sha256";

/** The key of a file object (`isDir` false) or a folder manifest object. */
export function objectKey(digest: string, isDir = false): ObjectKey {
  if (!SHA256_HEX.test(digest))
    throw invalidParam(`Invalid sha256 digest '${digest}': expected 64 lowercase hex digits.`);
  return isDir ? `${digest}${DIR_SUFFIX}` : digest;
}

/** Split a key into digest and kind; null when `key` is not one. */
export function parseObjectKey(key: string): { digest: string; isDir: boolean } | null {
  const isDir = key.endsWith(DIR_SUFFIX);
  const digest = isDir ? key.slice(0, -DIR_SUFFIX.length) : key;
  return SHA256_HEX.test(digest) ? { digest, isDir } : null;
}

/** The object's path below a cache or remote root, as segments: `["sha256", "ab", "cdef…"]`. */
export function objectSegments(key: ObjectKey): [string, string, string] {
  return [OBJECTS_FOLDER, key.slice(0, 2), key.slice(2)];
}

/** The key of the object file `rest` in shard folder `shard`, or null for foreign files. */
export function keyFromSegments(shard: string, rest: string): ObjectKey | null {
  const key = `${shard}${rest}`;
  return shard.length === 2 && parseObjectKey(key) !== null ? key : null;
}
