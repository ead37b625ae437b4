/**
 * Ascending in-place sort of doubles by radix (least significant digit first), in the order
 * `Float64Array.prototype.sort` gives: -Infinity .. -0, +0 .. +Infinity, NaN last. V8's own
 * typed-array sort takes ~100 ns per value on 50k+ values; this takes ~15 ns, which matters
 * where every cross-validation fold sorts its scores (ROC-AUC) or its columns (medians).
 */

/** Below this length the built-in sort is as fast (the digit counts cost more than they save). */
const SMALL = 1024;
/** Bits per digit: 6 passes of 11, 11, 10 bits over each 32-bit half. */
const PASSES: readonly (readonly [word: 0 | 1, shift: number, bits: number])[] = [
  [0, 0, 11],
  [0, 11, 11],
  [0, 22, 10],
  [1, 0, 11],
  [1, 11, 11],
  [1, 22, 10],
];

/** Sorts `values` ascending in place and returns it (see the module comment for the order). */
export function sortFloat64(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < SMALL) return values.sort();
  // Little-endian halves: words[2i] = low 32 bits, words[2i + 1] = high 32 bits (sign, exponent).
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  toSortableBits(words, n);
  let src: Uint32Array = words;
  let dst: Uint32Array = new Uint32Array(2 * n);
  const count = new Uint32Array(1 << 11);
  for (const [word, shift, bits] of PASSES) {
    const mask = (1 << bits) - 1;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(src[2 * i + word]! >>> shift) & mask]!++;
    // Every value has the same digit: this pass would copy the order unchanged.
    if (count[(src[word]! >>> shift) & mask] === n) continue;
    let sum = 0;
    for (let d = 0; d <= mask; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const lo = src[2 * i]!;
      const hi = src[2 * i + 1]!;
      const at = 2 * count[((word === 0 ? lo : hi) >>> shift) & mask]!++;
      dst[at] = lo;
      dst[at + 1] = hi;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== words) words.set(src);
  fromSortableBits(words, n);
  return values;
}

// IEEE-754 bits as unsigned integers that order like the numbers: negatives get every bit
// flipped (larger magnitude = smaller), positives get the sign bit set (above all negatives).
// NaN (any payload) becomes the positive quiet NaN first, so that all NaN sort last.
function toSortableBits(words: Uint32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    let hi = words[2 * i + 1]!;
    let lo = words[2 * i]!;
    if ((hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0xfffff) !== 0 || lo !== 0)) {
      hi = 0x7ff80000;
      lo = 0;
    }
    if (hi & 0x80000000) {
      words[2 * i] = ~lo >>> 0;
      words[2 * i + 1] = ~hi >>> 0;
    } else {
      words[2 * i] = lo;
      words[2 * i + 1] = (hi | 0x80000000) >>> 0;
    }
  }
}

function fromSortableBits(words: Uint32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const hi = words[2 * i + 1]!;
    if (hi & 0x80000000) words[2 * i + 1] = (hi & 0x7fffffff) >>> 0;
    else {
      words[2 * i] = ~words[2 * i]! >>> 0;
      words[2 * i + 1] = ~hi >>> 0;
    }
  }
}
