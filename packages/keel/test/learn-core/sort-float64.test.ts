import { describe, expect, it } from "vitest";
import { Rng } from "../../src/learn/core/random.js";
import { sortFloat64 } from "../../src/learn/core/sort-float64.js";

// Bit-exact comparison: Object.is tells -0 from +0 and matches NaN with NaN.
function expectSameOrder(got: Float64Array, want: Float64Array): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) throw new Error(`index ${i}: got ${got[i]}, want ${want[i]}`);
  }
}

describe("sortFloat64 (radix)", () => {
  const rng = new Rng(9);
  const draws: Record<string, (i: number) => number> = {
    "uniform [0, 1)": () => rng.next(),
    "signed, wide exponents": () => (rng.next() - 0.5) * 10 ** (rng.int(40) - 20),
    "few distinct (probabilities of a small ensemble)": () => Math.round(rng.next() * 40) / 41,
    "integers with ties": () => rng.int(1000) - 500,
    "specials: +-0, +-Infinity, NaN, subnormals, extremes": (i) =>
      [
        0,
        -0,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        Number.NaN,
        5e-324,
        -5e-324,
        Number.MAX_VALUE,
        -Number.MAX_VALUE,
        rng.normal(),
      ][i % 10]!,
  };

  for (const [name, draw] of Object.entries(draws)) {
    it(`sorts like Float64Array.prototype.sort: ${name}`, () => {
      for (const n of [0, 1, 7, 1023, 1024, 1025, 5000, 70_000]) {
        const values = Float64Array.from({ length: n }, (_, i) => draw(i));
        expectSameOrder(sortFloat64(values.slice()), values.slice().sort());
      }
    });
  }

  it("sorts a view in place without touching the rest of its buffer", () => {
    const all = Float64Array.from({ length: 6000 }, () => rng.normal());
    const before = all.slice();
    const view = all.subarray(1000, 5000);
    const want = view.slice().sort();
    expect(sortFloat64(view)).toBe(view);
    expectSameOrder(view, want);
    expectSameOrder(all.subarray(0, 1000), before.subarray(0, 1000));
    expectSameOrder(all.subarray(5000), before.subarray(5000));
  });

  it("turns every NaN payload into the one NaN, sorted last", () => {
    const values = Float64Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? Number.NaN : i));
    const bits = new Uint32Array(values.buffer);
    bits[1] = 0xfff00001; // a negative NaN with a payload
    sortFloat64(values);
    expect(values.subarray(0, 2000).every((v) => !Number.isNaN(v))).toBe(true);
    expect(values.subarray(2000).every((v) => Number.isNaN(v))).toBe(true);
  });
});
