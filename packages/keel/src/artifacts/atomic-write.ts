import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, open, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { invalidParam } from "../errors.js";

/** What an artifact write accepts: bytes in memory, or a stream that is never buffered whole. */
export type ArtifactBody = Buffer | Uint8Array | Readable;

/**
 * Write `body` to `dest` so that readers see either nothing (or the old file) or the whole new
 * file, never a partial one: the bytes go to a uniquely named temp file in `tmpDir`, are
 * fsynced, then `rename`d over `dest` (atomic on POSIX when both are on one filesystem), and
 * `dest`'s folder is fsynced so the rename survives a crash.
 *
 * On any failure the temp file is removed and a stream body is destroyed, so nothing is left
 * behind. Missing parent folders of `dest` and `tmpDir` are created.
 *
 * @param dest - absolute destination path.
 * @param body - bytes or a stream (streamed with `pipeline`, never fully buffered).
 * @param tmpDir - folder for the temp file; must be on the same filesystem as `dest`.
 * @returns the number of bytes written.
 */
export async function writeAtomic(dest: string, body: ArtifactBody, tmpDir: string): Promise<number> {
  const tmp = join(tmpDir, `.keel-${randomUUID()}.tmp`);
  try {
    if (!(body instanceof Uint8Array) && !(body instanceof Readable)) {
      throw invalidParam("Artifact body must be a Buffer, a Uint8Array or a Readable stream.");
    }
    await mkdir(tmpDir, { recursive: true });
    const size = await writeAndSync(tmp, body);
    await mkdir(dirname(dest), { recursive: true });
    await rename(tmp, dest);
    await syncFolder(dirname(dest));
    return size;
  } catch (e) {
    if (body instanceof Readable) body.destroy();
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Write everything to a new file, fsync it and return its size. */
async function writeAndSync(file: string, body: ArtifactBody): Promise<number> {
  if (body instanceof Uint8Array) {
    await writeFile(file, body, { flag: "wx" });
  } else {
    await pipeline(body, createWriteStream(file, { flags: "wx" }));
  }
  // fsync is per file, not per descriptor, so a fresh descriptor flushes what the stream wrote.
  const handle = await open(file, "r+");
  try {
    await handle.sync();
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

/** fsync a folder so a rename into it is durable; some filesystems refuse, which is harmless. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, "r");
  try {
    await handle.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "EINVAL" && code !== "EPERM" && code !== "EISDIR" && code !== "EBADF") throw e;
  } finally {
    await handle.close();
  }
}
