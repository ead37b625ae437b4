import { describe, expect, it } from "vitest";
import type { SearchSpace } from "../../src/search/space/types.js";
import { latinHypercube } from "../../src/search/strategies/trial-stream.js";
import { CONDITIONAL_SPACE } from "./helpers.js";

const SPACE: SearchSpace = {
  params: [
    { name: "lr", dist: { kind: "uniform", low: 0.01, high: 0.3, log: true } },
    { name: "x", dist: { kind: "uniform", low: -5, high: 5 } },
    { name: "k", dist: { kind: "int", low: 1, high: 1000, log: true } },
  ],
};

describe("Latin hypercube start designs", () => {
  it("puts exactly one config in each of n equal slices of every param's draw scale", () => {
    const n = 27;
    const configs = latinHypercube(SPACE, 4, n);
    expect(configs).toHaveLength(n);
    const slice = {
      lr: (v: number) => Math.floor((n * Math.log(v / 0.01)) / Math.log(0.3 / 0.01)),
      x: (v: number) => Math.floor((n * (v + 5)) / 10),
    };
    for (const [name, of] of Object.entries(slice)) {
      const slices = configs.map((c) => Math.min(n - 1, of(c[name] as number))).sort((a, b) => a - b);
      expect(slices, name).toEqual(Array.from({ length: n }, (_, i) => i));
    }
    // Integers: rounding can move a value one slice over, never more; the ints still spread out.
    const ks = new Set(configs.map((c) => c.k));
    expect(ks.size).toBeGreaterThan(20);
  });

  it("is a function of (space, seed, n): the same configs every time, others for another seed", () => {
    expect(latinHypercube(SPACE, 4, 10)).toEqual(latinHypercube(SPACE, 4, 10));
    expect(latinHypercube(SPACE, 5, 10)).not.toEqual(latinHypercube(SPACE, 4, 10));
  });

  it("gives conditional params only where their parents activate them, and balanced choices", () => {
    const configs = latinHypercube(CONDITIONAL_SPACE, 1, 40);
    const a = configs.filter((c) => c.model === "a");
    expect(a).toHaveLength(20); // two choices, 40 slices: 20 each
    for (const c of configs) {
      expect("a.x" in c).toBe(c.model === "a");
      expect("b.k" in c).toBe(c.model === "b");
      expect("b.z" in c).toBe(c.model === "b" && c["b.flag"] === true);
    }
  });
});
