/**
 * A least-recently-used cache bounded by bytes: entries are dropped oldest-use first once the
 * sizes of the kept values would exceed the cap; a value larger than the whole cap is computed
 * but not kept.
 */
export class LruByteCache<V> {
  readonly #maxBytes: number;
  readonly #sizeOf: (value: V) => number;
  readonly #entries = new Map<string, { value: V; bytes: number }>();
  #bytes = 0;
  #hits = 0;
  #misses = 0;

  /**
   * @param maxBytes most bytes kept.
   * @param sizeOf the bytes a value holds.
   */
  constructor(maxBytes: number, sizeOf: (value: V) => number) {
    this.#maxBytes = maxBytes;
    this.#sizeOf = sizeOf;
  }

  /** Lookups answered from the cache / computed afresh, entries and bytes kept. */
  get stats(): { hits: number; misses: number; entries: number; bytes: number } {
    return { hits: this.#hits, misses: this.#misses, entries: this.#entries.size, bytes: this.#bytes };
  }

  /** The value for `key`, computed by `compute` (and kept, if it fits) on a miss. */
  getOrCompute(key: string, compute: () => V): V {
    const hit = this.#entries.get(key);
    if (hit) {
      this.#hits++;
      this.#entries.delete(key); // re-insert: Map order is the recency order
      this.#entries.set(key, hit);
      return hit.value;
    }
    this.#misses++;
    const value = compute();
    const bytes = this.#sizeOf(value);
    if (bytes > this.#maxBytes) return value;
    for (const [k, e] of this.#entries) {
      if (this.#bytes + bytes <= this.#maxBytes) break;
      this.#entries.delete(k);
      this.#bytes -= e.bytes;
    }
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
    return value;
  }
}
