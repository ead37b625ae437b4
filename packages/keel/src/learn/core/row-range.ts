/**
 * The row indices `start, start + 1, ..., end - 1` (empty when `end <= start`). A plain loop:
 * `Int32Array.from({ length }, fn)` calls a function per element, ~10x slower on 100k+ rows.
 */
export function rowRange(start: number, end: number): Int32Array {
  const out = new Int32Array(Math.max(0, end - start));
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}
