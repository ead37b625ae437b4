/**
 * How bytes become cache (or remote) objects without ever exposing a partial one: they are
 * written to a read-only temp file in the tmp folder (named after the writing process), hashed
 * on the way, fsynced, and renamed into place. A process killed mid-copy leaves only a temp
 * file, which {@link isStaleTemp} recognises once that process is gone.
 */
import { createHash, randomUUID } from "node:crypto";
import { type FileHandle, mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { KeelError } from "../../errors.js";
import { decodeDirObject } from "./dir-manifest.js";
import { type FileDigest, HASH_ALGO, hashCounters, hashHandle, type ProgressCallback } from "./hash-file.js";
import { type ObjectKey, parseObjectKey } from "./object-key.js";

/** Mode of every object: read-only for everyone, so a link to it cannot be edited in place. */
export const OBJECT_MODE = 0o444;

/** A filled temp file, not yet in place. */
export interface TempObject extends FileDigest {
  /** The temp file's path. */
  tmp: string;
}

/** A fresh temp file name in `tmpDir` that records the writing process. */
export function tempPath(tmpDir: string): string {
  return join(tmpDir, `${process.pid}-${randomUUID()}.tmp`);
}

/** True when `name` is a temp file of a process that no longer runs (safe to delete). */
export function isStaleTemp(name: string): boolean {
  const pid = Number(/^(\d+)-[0-9a-f-]+\.tmp$/.exec(name)?.[1]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Copy a file or a stream into a new read-only temp file, hashing on the way, and fsync it. */
export async function fillTemp(
  source: string | Readable,
  tmpDir: string,
  onProgress?: ProgressCallback,
): Promise<TempObject> {
  await mkdir(tmpDir, { recursive: true });
  const tmp = tempPath(tmpDir);
  // Created read-only: the descriptor opened here still writes; nobody else ever can.
  const sink = await open(tmp, "wx", OBJECT_MODE);
  let filled = false;
  try {
    const digest =
      typeof source === "string"
        ? await copyFile(source, sink, onProgress)
        : await copyStream(source, sink, onProgress);
    await sink.sync();
    filled = true;
    return { tmp, ...digest };
  } finally {
    await sink.close();
    if (!filled) await rm(tmp, { force: true });
  }
}

async function copyFile(
  source: string,
  sink: FileHandle,
  onProgress?: ProgressCallback,
): Promise<FileDigest> {
  const handle = await open(source, "r");
  try {
    return await hashHandle(handle, sink, onProgress);
  } finally {
    await handle.close();
  }
}

async function copyStream(
  source: Readable,
  sink: FileHandle,
  onProgress?: ProgressCallback,
): Promise<FileDigest> {
  const hash = createHash(HASH_ALGO);
  let size = 0;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    hash.update(chunk);
    let offset = 0;
    while (offset < chunk.length)
      offset += (await sink.write(chunk, offset, chunk.length - offset)).bytesWritten;
    size += chunk.length;
    onProgress?.(chunk.length);
  }
  hashCounters.files += 1;
  hashCounters.bytes += size;
  return { sha256: hash.digest("hex"), size };
}

/**
 * Move a filled temp file into place. The folder is not fsynced: after a power loss the
 * object may be missing (and is copied again), but it is never partial.
 */
export async function commitTemp(tmp: string, dest: string): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  await rename(tmp, dest);
}

/** Whether a filled temp file holds exactly the object `key` (a `.dir` object is parsed and checked). */
export async function tempMatchesKey(temp: TempObject, key: ObjectKey): Promise<boolean> {
  const parsed = parseObjectKey(key);
  if (parsed === null) return false;
  if (!parsed.isDir) return temp.sha256 === parsed.digest;
  return decodeDirObject(await readFile(temp.tmp), parsed.digest) !== null;
}

/**
 * Receive object `key` from `source` into `dest`: copied through a temp file and put in place
 * only when its bytes hash to the key. Used on both sides of push and pull.
 *
 * @throws KeelError INVALID_STATE naming the object and where it came from when the bytes differ.
 */
export async function receiveObject(
  key: ObjectKey,
  source: string | Readable,
  dest: string,
  tmpDir: string,
  origin: string,
  onProgress?: ProgressCallback,
): Promise<number> {
  const temp = await fillTemp(source, tmpDir, onProgress);
  try {
    if (!(await tempMatchesKey(temp, key))) {
      throw new KeelError(
        "INVALID_STATE",
        `Object ${key} from ${origin} arrived with different content (sha256 ${temp.sha256}); it was not stored. The source copy is corrupted: run keel data verify there.`,
      );
    }
    await commitTemp(temp.tmp, dest);
    return temp.size;
  } catch (e) {
    await rm(temp.tmp, { force: true });
    throw e;
  }
}
