/**
 * A remote in a plain folder (local disk, NFS, a mounted share): same layout as the cache, temp
 * files in `<root>/tmp` so arrivals are renamed into place atomically.
 */
import { createReadStream } from "node:fs";
import { lstat } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { isMissing } from "../../artifacts/fs-errors.js";
import { notFound } from "../../errors.js";
import { listObjectKeys } from "./object-folder.js";
import { type ObjectKey, objectSegments } from "./object-key.js";
import type { Remote } from "./remote.js";
import { receiveObject } from "./temp-object.js";

/** {@link Remote} over a folder. */
export class LocalFolderRemote implements Remote {
  /** URL as configured. */
  readonly url: string;
  /** The remote's folder (absolute). */
  readonly root: string;

  constructor(url: string, root: string) {
    this.url = url;
    this.root = root;
  }

  #pathOf(key: ObjectKey): string {
    return join(this.root, ...objectSegments(key));
  }

  /** Every object key in the folder (one readdir per shard). */
  list(): Promise<Set<ObjectKey>> {
    return listObjectKeys(this.root);
  }

  /** Whether the folder holds `key`. */
  async has(key: ObjectKey): Promise<boolean> {
    try {
      return (await lstat(this.#pathOf(key))).isFile();
    } catch (e) {
      if (isMissing(e)) return false;
      throw e;
    }
  }

  /** Receive `key` through `<root>/tmp`, renamed into place only when its bytes hash to `key`. */
  put(key: ObjectKey, body: Readable, onProgress?: (bytes: number) => void): Promise<number> {
    return receiveObject(key, body, this.#pathOf(key), join(this.root, "tmp"), "the local cache", onProgress);
  }

  /** A read stream of `key` (1 MiB chunks). */
  async get(key: ObjectKey): Promise<Readable> {
    if (!(await this.has(key))) throw notFound(`Remote ${this.url} has no object ${key}.`);
    return createReadStream(this.#pathOf(key), { highWaterMark: 1024 * 1024 });
  }
}
