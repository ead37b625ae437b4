/**
 * sha256 of files, read in large blocks into reused buffers (no stream machinery): the read of
 * block n+1 runs on the libuv pool while block n is hashed, so hashing keeps pace with the page
 * cache. Every call counts in {@link hashCounters}, which tests use to prove the stat cache
 * spares unchanged files.
 */
import { createHash } from "node:crypto";
import { type FileHandle, open } from "node:fs/promises";

/** The one content hash Keel's data cache uses. */
export const HASH_ALGO = "sha256";

/** A lowercase hex sha256 digest. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Read block size: large enough that syscall overhead vanishes, small enough to stay in L2/L3. */
export const HASH_BLOCK_BYTES = 4 * 1024 * 1024;

/** Files up to this size are read in one call (folders of many small files are the common case). */
const SMALL_FILE_BYTES = 256 * 1024;

/** How many files and bytes this process has hashed; read-only for callers except `reset`. */
export const hashCounters = {
  /** Files (or objects) hashed since the last reset. */
  files: 0,
  /** Bytes hashed since the last reset. */
  bytes: 0,
  /** Zero both counters. */
  reset(): void {
    this.files = 0;
    this.bytes = 0;
  },
};

/** Called with the bytes just hashed (for progress bars). */
export type ProgressCallback = (bytes: number) => void;

/** A file's digest and the number of bytes that went into it. */
export interface FileDigest {
  sha256: string;
  size: number;
}

/** sha256 of a byte string, as lowercase hex. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash(HASH_ALGO).update(data).digest("hex");
}

/**
 * Hash a file's whole content.
 *
 * @param path - the file to read.
 * @param onProgress - called after each block with its byte count.
 * @returns the hex digest and the number of bytes read (the size at the time of reading).
 */
export async function hashFile(path: string, onProgress?: ProgressCallback): Promise<FileDigest> {
  const handle = await open(path, "r");
  try {
    return await hashHandle(handle, undefined, onProgress);
  } finally {
    await handle.close();
  }
}

/**
 * Hash everything readable from `source` (from its start), optionally writing each block to
 * `sink` as it goes: the copy-while-hashing of `keel data add` reads the data exactly once.
 */
export async function hashHandle(
  source: FileHandle,
  sink?: FileHandle,
  onProgress?: ProgressCallback,
): Promise<FileDigest> {
  const hash = createHash(HASH_ALGO);
  const { size: statSize } = await source.stat();
  const blockBytes = statSize <= SMALL_FILE_BYTES ? Math.max(statSize + 1, 1) : HASH_BLOCK_BYTES;
  // Two buffers: one is hashed (and written) while the next read fills the other.
  const buffers: [Buffer, Buffer] = [Buffer.allocUnsafe(blockBytes), Buffer.allocUnsafe(blockBytes)];
  let position = 0;
  let current: 0 | 1 = 0;
  let pending: Promise<{ bytesRead: number }> = source.read(buffers[0], 0, blockBytes, 0);
  try {
    for (;;) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) break;
      const block = buffers[current].subarray(0, bytesRead);
      position += bytesRead;
      current = current === 0 ? 1 : 0;
      pending = source.read(buffers[current], 0, blockBytes, position);
      hash.update(block);
      if (sink !== undefined) await writeAll(sink, block);
      onProgress?.(bytesRead);
    }
  } catch (e) {
    // A failed write leaves one read in flight: settle it before the caller closes the handle.
    await pending.catch(() => undefined);
    throw e;
  }
  hashCounters.files += 1;
  hashCounters.bytes += position;
  return { sha256: hash.digest("hex"), size: position };
}

/** Write a whole block (a single write may be short on some filesystems). */
async function writeAll(sink: FileHandle, block: Buffer): Promise<void> {
  let offset = 0;
  while (offset < block.length) {
    const { bytesWritten } = await sink.write(block, offset, block.length - offset);
    offset += bytesWritten;
  }
}
