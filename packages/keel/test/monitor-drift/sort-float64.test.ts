import { describe, expect, it } from "vitest";
import {
  runLengths,
  sortedDistinctCount,
  unionDistinctCount,
} from "../../src/monitor/drift/column-values.js";
import { sortFloat64 } from "../../src/monitor/drift/stats/sort-float64.js";

// A small seeded generator (mulberry32), so every run sorts the same arrays.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sample = (n: number, f: (r: () => number) => number, seed = 1) => {
  const r = rng(seed);
  return Float64Array.from({ length: n }, () => f(r));
};

// Object.is tells -0 from 0, so the order of signed zeros is checked too.
const sameOrder = (a: Float64Array, b: Float64Array) =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

describe("sortFloat64 sorts like Float64Array.prototype.sort", () => {
  const cases: [string, Float64Array][] = [
    ["normal-like, both signs", sample(50_000, (r) => (r() - 0.5) * 1e6)],
    ["tiny and huge magnitudes", sample(20_000, (r) => (r() < 0.5 ? -1 : 1) * 10 ** (r() * 600 - 300))],
    ["integers with ties", sample(30_000, (r) => Math.floor(r() * 61) - 30)],
    ["constant", new Float64Array(10_000).fill(2.5)],
    [
      "signed zeros and infinities",
      sample(
        10_000,
        (r) =>
          [0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, r() - 0.5][
            Math.floor(r() * 5)
          ] as number,
      ),
    ],
    ["short array (below the radix threshold)", sample(100, (r) => r() - 0.5)],
    ["empty", new Float64Array(0)],
  ];
  for (const [name, values] of cases) {
    it(name, () => {
      const expected = values.slice().sort();
      expect(sameOrder(sortFloat64(values.slice()), expected)).toBe(true);
    });
  }
});

describe("distinct counts on sorted numbers", () => {
  it("count runs as categoryCounts keys do (-0 and 0 merge)", () => {
    const sorted = sortFloat64(Float64Array.of(3, -0, 1, 0, 3, 3, -2, 1));
    expect(sortedDistinctCount(sorted)).toBe(4);
    const { values, counts } = runLengths(sorted);
    expect(Array.from(values)).toEqual([-2, -0, 1, 3]);
    expect(Array.from(counts)).toEqual([1, 2, 2, 3]);
  });

  it("count the union of both sides, and stop past atMost", () => {
    const a = { kind: "numerical" as const, sorted: Float64Array.of(1, 2, 2, 5, 9) };
    const b = { kind: "numerical" as const, sorted: Float64Array.of(0, 2, 5, 7, 7, 11) };
    expect(unionDistinctCount(a, b)).toBe(7);
    expect(unionDistinctCount(a, b, 5)).toBe(6);
    expect(unionDistinctCount(a, b, 10)).toBe(7);
  });
});
