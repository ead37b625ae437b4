/**
 * The content-addressed cache under `.keel/cache`: `sha256/ab/cdef…` for files and
 * `sha256/ab/cdef….dir` for folder manifests. Objects are read-only (0444) and only ever
 * appear whole (see temp-object.ts); reading one for a restore re-hashes it first.
 */
import { lstat, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { isMissing } from "../../artifacts/fs-errors.js";
import { decodeDirObject, encodeDirObject, type ManifestEntry } from "./dir-manifest.js";
import { hashFile, type ProgressCallback } from "./hash-file.js";
import { listObjectFiles, type ObjectFile, readdirOrEmpty } from "./object-folder.js";
import { OBJECTS_FOLDER, type ObjectKey, objectKey, objectSegments, parseObjectKey } from "./object-key.js";
import { commitTemp, fillTemp, receiveObject } from "./temp-object.js";
import { CorruptedObjectError } from "./versioning-errors.js";

/** What {@link ObjectCache.addFile} did. */
export interface AddedObject {
  sha256: string;
  size: number;
  /** False when an identical object was already cached. */
  copied: boolean;
}

/** The object cache of one project. */
export class ObjectCache {
  /** The cache folder (`.keel/cache`). */
  readonly root: string;
  /** Folder for temp files; on the cache's filesystem so renames are atomic. */
  readonly tmpDir: string;

  constructor(root: string, tmpDir: string) {
    this.root = root;
    this.tmpDir = tmpDir;
  }

  /** Absolute path of an object. */
  pathOf(key: ObjectKey): string {
    return join(this.root, ...objectSegments(key));
  }

  /** Size of a cached object, or null when absent. */
  async sizeOf(key: ObjectKey): Promise<number | null> {
    try {
      const st = await lstat(this.pathOf(key));
      return st.isFile() ? st.size : null;
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  /**
   * True when `key` is cached with the expected size: a size mismatch (e.g. an object cut short
   * by a crash of the machine) counts as absent, so the next add replaces it.
   */
  async has(key: ObjectKey, size?: number): Promise<boolean> {
    const actual = await this.sizeOf(key);
    return actual !== null && (size === undefined || parseObjectKey(key)?.isDir === true || actual === size);
  }

  /**
   * Which of `keys` are cached, reading each shard folder once (faster than one stat per object
   * when a folder of thousands of files is checked).
   */
  async present(keys: Iterable<ObjectKey>): Promise<Set<ObjectKey>> {
    const byShard = new Map<string, ObjectKey[]>();
    for (const key of keys) {
      const shard = key.slice(0, 2);
      const list = byShard.get(shard);
      if (list === undefined) byShard.set(shard, [key]);
      else list.push(key);
    }
    const found = new Set<ObjectKey>();
    await Promise.all(
      [...byShard].map(async ([shard, wanted]) => {
        const names = new Set(await readdirOrEmpty(join(this.root, OBJECTS_FOLDER, shard)));
        for (const key of wanted) if (names.has(key.slice(2))) found.add(key);
      }),
    );
    return found;
  }

  /**
   * Copy a file into the cache while hashing it (one read of the data). When the content is
   * already cached the copy is dropped and the existing object kept.
   */
  async addFile(source: string, onProgress?: ProgressCallback): Promise<AddedObject> {
    const temp = await fillTemp(source, this.tmpDir, onProgress);
    try {
      const key = objectKey(temp.sha256);
      if (await this.has(key, temp.size)) {
        await rm(temp.tmp, { force: true });
        return { sha256: temp.sha256, size: temp.size, copied: false };
      }
      await commitTemp(temp.tmp, this.pathOf(key));
      return { sha256: temp.sha256, size: temp.size, copied: true };
    } catch (e) {
      await rm(temp.tmp, { force: true });
      throw e;
    }
  }

  /** Store a folder manifest as `<digest>.dir` (no-op when present); returns its key. */
  async putManifest(digest: string, entries: readonly ManifestEntry[]): Promise<ObjectKey> {
    const key = objectKey(digest, true);
    if (await this.has(key)) return key;
    await receiveObject(
      key,
      Readable.from([encodeDirObject(entries)]),
      this.pathOf(key),
      this.tmpDir,
      "folder manifest",
    );
    return key;
  }

  /**
   * Read a folder manifest, checked against its digest.
   * @returns the entries, or null when the manifest is not cached.
   * @throws CorruptedObjectError when it does not hash to `digest`.
   */
  async readManifest(digest: string): Promise<ManifestEntry[] | null> {
    const key = objectKey(digest, true);
    let bytes: Buffer;
    try {
      bytes = await readFile(this.pathOf(key));
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
    const entries = decodeDirObject(bytes, digest);
    if (entries === null)
      throw new CorruptedObjectError(key, this.pathOf(key), "a manifest that does not match");
    return entries;
  }

  /** Receive an object from a remote (verified by hash before it is put in place). */
  receive(
    key: ObjectKey,
    source: string | Readable,
    origin: string,
    onProgress?: ProgressCallback,
  ): Promise<number> {
    return receiveObject(key, source, this.pathOf(key), this.tmpDir, origin, onProgress);
  }

  /**
   * Re-hash a file object and throw unless it matches its name.
   * @throws CorruptedObjectError naming the object and the digest found.
   */
  async verifyFileObject(digest: string, onProgress?: ProgressCallback): Promise<void> {
    const path = this.pathOf(objectKey(digest));
    const { sha256 } = await hashFile(path, onProgress);
    if (sha256 !== digest) throw new CorruptedObjectError(digest, path, sha256);
  }

  /** Every object in the cache, sorted by key. */
  list(): Promise<ObjectFile[]> {
    return listObjectFiles(this.root);
  }

  /** Delete an object (absent is fine). */
  async remove(key: ObjectKey): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}
