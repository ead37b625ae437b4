import { describe, expect, it } from "vitest";
import { configKey } from "../../src/search/space/config-key.js";
import { dimensionGrid } from "../../src/search/space/grid-values.js";
import { SpaceGrid } from "../../src/search/space/space-grid.js";
import type { SearchSpace } from "../../src/search/space/types.js";
import { CONDITIONAL_SPACE } from "./helpers.js";

describe("dimensionGrid", () => {
  it("spaces uniform dims evenly and log dims geometrically", () => {
    expect(dimensionGrid({ kind: "uniform", low: 0, high: 1 }, 5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const log = dimensionGrid({ kind: "uniform", low: 1e-3, high: 10, log: true }, 5) as number[];
    expect(log[0]).toBe(1e-3);
    expect(log[4]).toBe(10);
    for (let i = 1; i < log.length; i++) expect(log[i]! / log[i - 1]!).toBeCloseTo(10, 9);
  });

  it("lists every int when few, else spreads and dedupes them", () => {
    expect(dimensionGrid({ kind: "int", low: 2, high: 4 }, 5)).toEqual([2, 3, 4]);
    expect(dimensionGrid({ kind: "int", low: 0, high: 20, step: 10 }, 5)).toEqual([0, 10, 20]);
    expect(dimensionGrid({ kind: "int", low: 1, high: 20 }, 5)).toEqual([1, 6, 11, 15, 20]);
    expect(dimensionGrid({ kind: "int", low: 1, high: 1000, log: true }, 4)).toEqual([1, 10, 100, 1000]);
    expect(dimensionGrid({ kind: "choice", values: ["a", "b"] }, 1)).toEqual(["a", "b"]);
    expect(dimensionGrid({ kind: "uniform", low: 1, high: 4, log: true }, 1)).toEqual([2]);
  });

  it("rejects a non-positive gridPoints", () => {
    expect(() => dimensionGrid({ kind: "uniform", low: 0, high: 1 }, 0)).toThrow(/gridPoints/);
  });
});

describe("SpaceGrid", () => {
  const flat: SearchSpace = {
    params: [
      { name: "a", dist: { kind: "choice", values: [1, 2] } },
      { name: "b", dist: { kind: "uniform", low: 0, high: 1 } },
    ],
  };

  it("enumerates like nested loops, first param slowest", () => {
    const grid = new SpaceGrid(flat, { gridPoints: 3 });
    expect(grid.size).toBe(6);
    expect(Array.from({ length: 6 }, (_, r) => grid.at(r))).toEqual([
      { a: 1, b: 0 },
      { a: 1, b: 0.5 },
      { a: 1, b: 1 },
      { a: 2, b: 0 },
      { a: 2, b: 0.5 },
      { a: 2, b: 1 },
    ]);
  });

  it("branches conditional params only where they are active", () => {
    const grid = new SpaceGrid(CONDITIONAL_SPACE, { gridPoints: 3 });
    // a: 3 values of a.x; b: 3 values of b.k x (flag true: 3 z values + flag false: 1) = 12.
    expect(grid.size).toBe(3 + 12);
    const all = Array.from({ length: grid.size }, (_, r) => grid.at(r));
    expect(new Set(all.map(configKey)).size).toBe(grid.size);
    expect(all[0]).toEqual({ model: "a", "a.x": 0 });
    expect(all[3]).toEqual({ model: "b", "b.k": 1, "b.flag": true, "b.z": 0 });
    expect(all[6]).toEqual({ model: "b", "b.k": 1, "b.flag": false });
    expect(() => grid.at(grid.size)).toThrow(/outside/);
  });

  it("indexes a huge grid without materialising it", () => {
    const space: SearchSpace = {
      params: Array.from({ length: 12 }, (_, i) => ({
        name: `x${i}`,
        dist: { kind: "uniform", low: 0, high: 1 },
      })),
    };
    const grid = new SpaceGrid(space);
    expect(grid.size).toBe(5 ** 12);
    expect(grid.at(grid.size - 1)).toEqual(Object.fromEntries(space.params.map((p) => [p.name, 1])));
  });

  it("selects all points when they fit, else a seeded sample in grid order", () => {
    const grid = new SpaceGrid(CONDITIONAL_SPACE, { gridPoints: 3 });
    expect(grid.select(100, 0)).toHaveLength(15);
    const pick = grid.select(6, 42);
    expect(pick).toHaveLength(6);
    expect(grid.select(6, 42)).toEqual(pick);
    expect(grid.select(6, 43)).not.toEqual(pick);
    const ranks = pick.map((c) =>
      Array.from({ length: 15 }, (_, r) => configKey(grid.at(r))).indexOf(configKey(c)),
    );
    expect([...ranks].sort((x, y) => x - y)).toEqual(ranks);
    expect(new Set(ranks).size).toBe(6);
  });
});
