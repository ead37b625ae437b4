/**
 * A fixed-capacity hash map from float32 values (keyed by their bit pattern, so -0 and 0 are
 * distinct keys) to non-negative integers: how binning finds a feature's few distinct values and
 * their bins without sorting or binary-searching every row.
 */
export class Float32Table {
  readonly #keys: Uint32Array;
  readonly #values: Int32Array;
  readonly #shift: number;
  readonly #capacity: number;
  #size = 0;

  /** A table holding at most `capacity` keys. */
  constructor(capacity: number) {
    let bits = 4;
    while (1 << bits < 2 * capacity) bits++;
    this.#keys = new Uint32Array(1 << bits);
    this.#values = new Int32Array(1 << bits).fill(-1);
    this.#shift = 32 - bits;
    this.#capacity = capacity;
  }

  /** Keys held. */
  get size(): number {
    return this.#size;
  }

  /** The value of `key` (float32 bits), or -1. */
  get(key: number): number {
    const mask = this.#keys.length - 1;
    for (let i = Math.imul(key, 0x9e3779b1) >>> this.#shift; ; i = (i + 1) & mask) {
      const v = this.#values[i]!;
      if (v < 0 || this.#keys[i] === key) return v;
    }
  }

  /** Sets `key` to `value` (>= 0); false (and nothing stored) when a new key would exceed the capacity. */
  set(key: number, value: number): boolean {
    const mask = this.#keys.length - 1;
    for (let i = Math.imul(key, 0x9e3779b1) >>> this.#shift; ; i = (i + 1) & mask) {
      if (this.#values[i]! < 0) {
        if (this.#size === this.#capacity) return false;
        this.#keys[i] = key;
        this.#values[i] = value;
        this.#size++;
        return true;
      }
      if (this.#keys[i] === key) {
        this.#values[i] = value;
        return true;
      }
    }
  }
}

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** The bit pattern of `x` rounded to float32. */
export function float32Bits(x: number): number {
  scratch[0] = x;
  return scratchBits[0]!;
}
