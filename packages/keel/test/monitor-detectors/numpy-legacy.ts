import { PythonRandom } from "../../src/monitor/detectors/index.js";

/**
 * The parts of numpy's legacy `np.random.seed(s)` / `RandomState` that River's detector tests
 * use, on the same MT19937 as Python (numpy seeds it with `init_genrand`, not `init_by_array`):
 * `randint(k)` for a power of two k (masked rejection), `binomial(1, p)` (inversion) and
 * `normal(loc, scale)` (Marsaglia's polar method, keeping the second deviate).
 */
export class NumpyLegacyRandom {
  readonly #rng: PythonRandom;
  #gauss: number | null = null;

  /** `np.random.seed(seed)` for 0 <= seed < 2^32. */
  constructor(seed: number) {
    const mt: number[] = [seed >>> 0];
    for (let i = 1; i < 624; i++)
      mt.push((Math.imul(1812433253, mt[i - 1]! ^ (mt[i - 1]! >>> 30)) + i) >>> 0);
    this.#rng = PythonRandom.fromState({ mt, index: 624, gaussNext: null });
  }

  /** `np.random.randint(k)` for k a power of two (the mask never rejects). */
  randint(k: number): number {
    return this.#rng.nextUint32() & (k - 1);
  }

  /** `np.random.binomial(1, p)`: numpy's inversion algorithm on the smaller of p and 1 - p. */
  binomial1(p: number): number {
    const flip = p > 0.5;
    const pp = flip ? 1 - p : p;
    const q = 1 - pp;
    const qn = Math.exp(Math.log(q));
    const bound = Math.min(1, Math.trunc(pp + 10 * Math.sqrt(pp * q + 1)));
    let x = 0;
    let px = qn;
    let u = this.#rng.random();
    while (u > px) {
      x++;
      if (x > bound) {
        x = 0;
        px = qn;
        u = this.#rng.random();
      } else {
        u -= px;
        px = ((1 - x + 1) * pp * px) / (x * q);
      }
    }
    return flip ? 1 - x : x;
  }

  /** `np.random.normal(loc, scale)` (legacy Gaussian). */
  normal(loc: number, scale: number): number {
    if (this.#gauss !== null) {
      const g = this.#gauss;
      this.#gauss = null;
      return loc + scale * g;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.#rng.random() - 1;
      x2 = 2 * this.#rng.random() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.#gauss = f * x1;
    return loc + scale * f * x2;
  }
}
