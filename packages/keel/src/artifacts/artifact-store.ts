import type { Readable } from "node:stream";

/** One entry of an artifact listing, as MLflow's `FileInfo`. */
export interface FileInfo {
  /** Path relative to the listed root, `/`-separated. */
  path: string;
  isDir: boolean;
  /** Size in bytes; undefined for directories. */
  fileSize?: number | undefined;
}

/**
 * Where run artifacts and model packages live. Paths are relative, `/`-separated and never
 * escape the store: `..`, absolute paths, NUL bytes and symlinks out are rejected with
 * INVALID_PARAMETER_VALUE. Writes are atomic (temp file + rename).
 */
export interface ArtifactStore {
  /** Scheme-qualified root of this store, e.g. `file:///abs/.keel/artifacts`. */
  readonly rootUri: string;
  /** Write bytes or a stream to `path`, atomically. Returns the byte count. */
  put(path: string, body: Buffer | Uint8Array | Readable): Promise<number>;
  /** Copy a local file or folder (recursively) under `destPath`. */
  putLocal(localPath: string, destPath: string): Promise<void>;
  /** A stream of the artifact's bytes; RESOURCE_DOES_NOT_EXIST when absent. */
  get(path: string): Promise<Readable>;
  /** Size and kind of one entry, or null when absent. */
  stat(path: string): Promise<FileInfo | null>;
  /** Direct children of a folder (empty when absent), sorted by path. */
  list(path?: string): Promise<FileInfo[]>;
  /** Copy an artifact or folder to a local path. */
  download(path: string, localDest: string): Promise<void>;
  /** Delete a file or folder; no error when absent. */
  delete(path: string): Promise<void>;
}
