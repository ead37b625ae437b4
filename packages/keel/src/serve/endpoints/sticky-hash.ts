/** Sticky A/B assignment: a stable hash of a key to a bucket in [0, 100). */

/** FNV-1a (32-bit) of the UTF-16 code units of `key`: fast, stable across processes and versions. */
export function fnv1a32(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // Final avalanche (murmur3 fmix32) so keys that differ in the last character spread evenly.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Bucket of `key` in [0, 100) with 0.01 resolution; the same key always gets the same bucket. */
export function stickyBucket(key: string): number {
  return (fnv1a32(key) % 10_000) / 100;
}
