/**
 * The objects behind a pointer: one file object, or a folder manifest plus one object per file.
 * Restores, transfers and gc all walk content this way.
 */
import { notFound } from "../../errors.js";
import type { ManifestEntry } from "./dir-manifest.js";
import type { ObjectCache } from "./object-cache.js";
import { type ObjectKey, objectKey } from "./object-key.js";

/** A content hash and whether it names a folder. */
export interface ContentRef {
  digest: string;
  isdir: boolean;
}

/**
 * The files of `content` as manifest entries; a single file is one entry with path `""`.
 * @param pull - the `keel data pull` argument that fetches this content, for the error message.
 * @throws KeelError RESOURCE_DOES_NOT_EXIST when a folder's manifest is not cached (pull first);
 *   CorruptedObjectError when it is damaged.
 */
export async function contentFiles(
  cache: ObjectCache,
  content: ContentRef,
  size: number,
  label: string,
  pull?: string,
): Promise<ManifestEntry[]> {
  if (!content.isdir) return [{ path: "", sha256: content.digest, size }];
  const entries = await cache.readManifest(content.digest);
  if (entries === null) throw notInCache(label, objectKey(content.digest, true), pull);
  return entries;
}

/** Every object key `content` needs, manifest first (when its manifest is at hand). */
export function contentKeys(content: ContentRef, entries: readonly ManifestEntry[] | null): ObjectKey[] {
  if (!content.isdir) return [objectKey(content.digest)];
  return [objectKey(content.digest, true), ...(entries ?? []).map((e) => objectKey(e.sha256))];
}

/**
 * The error for content that is not in the local cache, with the command that fetches it.
 * @param pull - what to pass to `keel data pull`: `NAME@N` for a stored version (a plain pull
 *   fetches only what the current pointers reference), or a data path.
 */
export function notInCache(label: string, key: ObjectKey, pull?: string) {
  const command = pull === undefined ? "keel data pull" : `keel data pull ${pull}`;
  return notFound(
    `The data of ${label} is not in the local cache (object ${key}); fetch it from the remote with ${command}, then try again.`,
  );
}

/**
 * True when every object of `content` is in the local cache: the file object (with its size),
 * or a folder's manifest and all its files. A damaged manifest counts as absent.
 */
export async function isContentCached(
  cache: ObjectCache,
  content: ContentRef & { size: number },
): Promise<boolean> {
  if (!content.isdir) return cache.has(objectKey(content.digest), content.size);
  const entries = await cache.readManifest(content.digest).catch(() => null);
  if (entries === null) return false;
  const keys = entries.map((e) => objectKey(e.sha256));
  const present = await cache.present(keys);
  return keys.every((k) => present.has(k));
}
