import { describe, expect, it } from "vitest";
import { Rng } from "../../src/learn/core/random.js";
import { activeParams, isActive } from "../../src/search/space/active-params.js";
import { configKey } from "../../src/search/space/config-key.js";
import { sampleConfig, sampleValue } from "../../src/search/space/sample-config.js";
import { CONDITIONAL_SPACE, mean } from "./helpers.js";

function draws(dist: Parameters<typeof sampleValue>[0], n = 4000, seed = 1): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => sampleValue(dist, rng) as number);
}

describe("sampling", () => {
  it("uniform draws stay in bounds and fill them evenly", () => {
    const xs = draws({ kind: "uniform", low: -2, high: 6 });
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...xs)).toBeLessThanOrEqual(6);
    expect(mean(xs)).toBeCloseTo(2, 0);
    expect(xs.filter((x) => x < 2).length / xs.length).toBeCloseTo(0.5, 1);
  });

  it("log-uniform draws are uniform in the exponent", () => {
    const xs = draws({ kind: "uniform", low: 1e-4, high: 1, log: true });
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(1e-4);
    expect(Math.max(...xs)).toBeLessThanOrEqual(1);
    // Each decade gets about a quarter of the draws.
    for (const [lo, hi] of [
      [1e-4, 1e-3],
      [1e-3, 1e-2],
      [1e-2, 1e-1],
      [1e-1, 1],
    ] as const) {
      expect(xs.filter((x) => x >= lo && x < hi).length / xs.length).toBeCloseTo(0.25, 1);
    }
  });

  it("int draws are integers covering every value, including both ends", () => {
    const xs = draws({ kind: "int", low: 3, high: 7 });
    expect(xs.every((x) => Number.isInteger(x) && x >= 3 && x <= 7)).toBe(true);
    for (let v = 3; v <= 7; v++) expect(xs.filter((x) => x === v).length / xs.length).toBeCloseTo(0.2, 1);
  });

  it("int draws respect the step grid", () => {
    const xs = draws({ kind: "int", low: 2, high: 11, step: 3 });
    expect(new Set(xs)).toEqual(new Set([2, 5, 8, 11]));
    const ys = draws({ kind: "int", low: 0, high: 10, step: 4 });
    expect(new Set(ys)).toEqual(new Set([0, 4, 8]));
  });

  it("log int draws favour small values but reach the top", () => {
    const xs = draws({ kind: "int", low: 1, high: 100, log: true });
    expect(xs.every((x) => Number.isInteger(x) && x >= 1 && x <= 100)).toBe(true);
    expect(xs.filter((x) => x <= 10).length / xs.length).toBeGreaterThan(0.4);
    expect(xs).toContain(100);
    expect(xs).toContain(1);
  });

  it("choices are drawn uniformly", () => {
    const rng = new Rng(3);
    const values = Array.from({ length: 3000 }, () =>
      sampleValue({ kind: "choice", values: ["a", true, 2] }, rng),
    );
    for (const v of ["a", true, 2]) expect(values.filter((x) => x === v).length / 3000).toBeCloseTo(1 / 3, 1);
  });

  it("configs hold exactly the active params", () => {
    const rng = new Rng(7);
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const config = sampleConfig(CONDITIONAL_SPACE, rng);
      const expected = activeParams(CONDITIONAL_SPACE, config).map((p) => p.name);
      expect(Object.keys(config)).toEqual(expected);
      seen.add(expected.join(","));
    }
    expect(seen).toEqual(new Set(["model,a.x", "model,b.k,b.flag", "model,b.k,b.flag,b.z"]));
  });

  it("same seed, same configs", () => {
    const a = Array.from(
      { length: 5 },
      (
        (r) => () =>
          sampleConfig(CONDITIONAL_SPACE, r)
      )(new Rng(11)),
    );
    const b = Array.from(
      { length: 5 },
      (
        (r) => () =>
          sampleConfig(CONDITIONAL_SPACE, r)
      )(new Rng(11)),
    );
    expect(a).toEqual(b);
  });
});

describe("activeParams", () => {
  it("treats a child of an unset or non-matching parent as inactive", () => {
    expect(activeParams(CONDITIONAL_SPACE, {}).map((p) => p.name)).toEqual(["model"]);
    expect(activeParams(CONDITIONAL_SPACE, { model: "b" }).map((p) => p.name)).toEqual([
      "model",
      "b.k",
      "b.flag",
    ]);
    expect(activeParams(CONDITIONAL_SPACE, { model: "b", "b.flag": true }).map((p) => p.name)).toContain(
      "b.z",
    );
    expect(isActive(CONDITIONAL_SPACE.params[4]!, { model: "a", "b.flag": true })).toBe(false);
  });
});

describe("configKey", () => {
  it("ignores key order and keeps value types apart", () => {
    expect(configKey({ b: 1, a: "x" })).toBe(configKey({ a: "x", b: 1 }));
    expect(configKey({ a: 1 })).not.toBe(configKey({ a: "1" }));
    expect(configKey({ a: true })).not.toBe(configKey({ a: "true" }));
    expect(configKey({ b: 1, a: "x" })).toBe('{"a":"x","b":1}');
  });
});
