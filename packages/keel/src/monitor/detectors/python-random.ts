/**
 * Python's `random.Random`, bit for bit: MT19937 seeded the way CPython seeds it from an integer
 * (`init_by_array` over the 32-bit words of |seed|), and the exact algorithms of `random()`,
 * `getrandbits()`, `choices()`, `sample()` and `gauss()`. KSWIN draws its reference sample with
 * it, so a seeded KSWIN picks the same indices as River's; tests use it to rebuild the streams
 * of River's documented examples. `gauss()` goes through `Math.cos/sin/log`, which may differ
 * from the C library in the last bit on rare inputs.
 */

const N = 624;
const M = 397;

/** The serializable state of a {@link PythonRandom}: the 624 MT words, the position, gauss's spare. */
export interface PythonRandomState {
  /** The MT19937 state words. */
  mt: number[];
  /** Index of the next word to temper (624 = regenerate first). */
  index: number;
  /** The second normal deviate `gauss()` keeps for its next call, or null. */
  gaussNext: number | null;
}

/** Python's Mersenne Twister generator (`random.Random(seed)`), with its state serializable. */
export class PythonRandom {
  #mt = new Uint32Array(N);
  #index = N + 1;
  #gaussNext: number | null = null;

  /** `random.Random(seed)` for a non-negative or negative safe integer seed (Python uses |seed|). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    this.#initByArray(seedKey(Math.abs(seed)));
  }

  /** A generator continuing from a saved {@link PythonRandomState}. */
  static fromState(state: PythonRandomState): PythonRandom {
    if (state.mt.length !== N || !(state.index >= 0 && state.index <= N)) {
      throw new RangeError("PythonRandom state must hold 624 words and an index in [0, 624]");
    }
    const rng = new PythonRandom(0);
    rng.#mt.set(state.mt);
    rng.#index = state.index;
    rng.#gaussNext = state.gaussNext;
    return rng;
  }

  /** The state, enough to continue the stream exactly. */
  getState(): PythonRandomState {
    return { mt: Array.from(this.#mt), index: this.#index, gaussNext: this.#gaussNext };
  }

  /** Next tempered 32-bit word (`genrand_uint32`). */
  nextUint32(): number {
    if (this.#index >= N) this.#twist();
    let y = this.#mt[this.#index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `random.random()`: a double in [0, 1) with 53 random bits. */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) * (1 / 9007199254740992);
  }

  /** `random.getrandbits(k)` for 0 < k <= 32. */
  getrandbits(k: number): number {
    if (!(k > 0 && k <= 32)) throw new RangeError(`getrandbits supports 1..32 bits, got ${k}`);
    return this.nextUint32() >>> (32 - k);
  }

  /** `random._randbelow(n)`: an integer in [0, n) by rejection sampling on bit_length(n) bits. */
  randbelow(n: number): number {
    if (n <= 0) return 0;
    const k = 32 - Math.clz32(n);
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  /** `random.choices(population, weights, k=k)` (bisect on cumulative weights when weighted). */
  choices<T>(population: readonly T[], k: number, weights?: readonly number[]): T[] {
    const n = population.length;
    const out: T[] = new Array(k);
    if (weights === undefined) {
      for (let i = 0; i < k; i++) out[i] = population[Math.floor(this.random() * n)]!;
      return out;
    }
    if (weights.length !== n) throw new RangeError("the number of weights does not match the population");
    const cum: number[] = [];
    let acc = 0;
    for (const w of weights) {
      acc += w;
      cum.push(acc);
    }
    const total = acc;
    for (let i = 0; i < k; i++) out[i] = population[bisectRight(cum, this.random() * total, n - 1)]!;
    return out;
  }

  /** `random.sample(range(n), k)`: k distinct integers of [0, n), in CPython's draw order. */
  sampleRange(n: number, k: number): number[] {
    if (!(k >= 0 && k <= n)) throw new RangeError("sample larger than population or is negative");
    const result = new Array<number>(k);
    let setsize = 21;
    if (k > 5) setsize += 4 ** Math.ceil(Math.log(k * 3) / Math.log(4));
    if (n <= setsize) {
      // CPython's pool method: a partial Fisher-Yates over a copy of the population.
      const pool = Array.from({ length: n }, (_, i) => i);
      for (let i = 0; i < k; i++) {
        const j = this.randbelow(n - i);
        result[i] = pool[j]!;
        pool[j] = pool[n - i - 1]!;
      }
      return result;
    }
    const selected = new Set<number>();
    for (let i = 0; i < k; i++) {
      let j = this.randbelow(n);
      while (selected.has(j)) j = this.randbelow(n);
      selected.add(j);
      result[i] = j;
    }
    return result;
  }

  /** `random.gauss(mu, sigma)`: Box-Muller pairs, the second deviate kept for the next call. */
  gauss(mu = 0, sigma = 1): number {
    let z = this.#gaussNext;
    this.#gaussNext = null;
    if (z === null) {
      const x2pi = this.random() * 2 * Math.PI;
      const g2rad = Math.sqrt(-2 * Math.log(1 - this.random()));
      z = Math.cos(x2pi) * g2rad;
      this.#gaussNext = Math.sin(x2pi) * g2rad;
    }
    return mu + z * sigma;
  }

  #initGenrand(s: number): void {
    const mt = this.#mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.#index = N;
  }

  #initByArray(key: readonly number[]): void {
    const mt = this.#mt;
    this.#initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = ((mt[i]! ^ Math.imul(prev, 1664525)) + key[j]! + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = ((mt[i]! ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  #twist(): void {
    const mt = this.#mt;
    for (let kk = 0; kk < N; kk++) {
      const y = (mt[kk]! & 0x80000000) | (mt[(kk + 1) % N]! & 0x7fffffff);
      mt[kk] = (mt[(kk + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)) >>> 0;
    }
    this.#index = 0;
  }
}

/** CPython's seed key: |seed| as little-endian 32-bit words ([0] for zero). */
function seedKey(seed: number): number[] {
  const key: number[] = [];
  let rest = seed;
  do {
    key.push(rest % 4294967296);
    rest = Math.floor(rest / 4294967296);
  } while (rest > 0);
  return key;
}

/** `bisect.bisect_right(a, x, 0, hi)`. */
function bisectRight(a: readonly number[], x: number, hi: number): number {
  let lo = 0;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x < a[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
