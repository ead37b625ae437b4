/**
 * Data remotes: where `keel data push` sends cache objects and `pull` fetches them. Objects keep
 * their cache names (`sha256/ab/cdef…`), so a remote is a set of keys; every implementation
 * checks an object's hash when it arrives and makes it visible only whole.
 */
import type { Readable } from "node:stream";
import type { ObjectKey } from "./object-key.js";

/** One remote object store (a local/NFS folder today; S3 implements the same four calls). */
export interface Remote {
  /** The remote's URL as configured, for messages. */
  readonly url: string;
  /** Every object key the remote holds (one listing; transfers compare against it). */
  list(): Promise<Set<ObjectKey>>;
  /** Whether the remote holds `key`. */
  has(key: ObjectKey): Promise<boolean>;
  /**
   * Store object `key`, streamed from `body`. The remote verifies the bytes hash to `key` before
   * the object becomes visible; a mismatch is an INVALID_STATE error and nothing is stored.
   * @returns bytes stored.
   */
  put(key: ObjectKey, body: Readable, onProgress?: (bytes: number) => void): Promise<number>;
  /** Stream object `key`; RESOURCE_DOES_NOT_EXIST when absent. The receiver verifies the hash. */
  get(key: ObjectKey): Promise<Readable>;
}
