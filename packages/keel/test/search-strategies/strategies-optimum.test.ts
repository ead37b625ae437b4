import { describe, expect, it } from "vitest";
import { createStrategy, type StrategyName } from "../../src/search/strategies/strategy.js";
import {
  bestScore,
  bestTrial,
  CONDITIONAL_SPACE,
  conditionalObjective,
  MIXED_SPACE,
  mixedObjective,
  noisyByBudget,
  runSearch,
  sphereObjective,
  sphereSpace,
} from "./helpers.js";

const SEEDS = [0, 1, 2, 3, 4];

describe("each strategy finds the optimum of a synthetic objective within its budget", () => {
  it("grid hits the exact maximum when it lies on the grid", () => {
    for (const seed of SEEDS) {
      const history = runSearch(createStrategy("grid", MIXED_SPACE, { seed, trials: 400 }), mixedObjective);
      expect(history).toHaveLength(5 * 5 * 5 * 3);
      expect(bestTrial(history)?.config).toEqual({ x: 2.5, y: expect.closeTo(0.1, 12), k: 6, c: "b" });
      expect(bestScore(history)).toBeCloseTo(0, 12);
    }
  });

  it("random search gets within 0.5 of the maximum of a 2-d sphere in 300 trials", () => {
    for (const seed of SEEDS) {
      const history = runSearch(
        createStrategy("random", sphereSpace(2), { seed, trials: 300 }),
        sphereObjective,
      );
      expect(history).toHaveLength(300);
      expect(bestScore(history)).toBeGreaterThan(-0.5);
    }
  });

  it("TPE gets within 0.06 on the sphere in 100 trials and within 0.2 on the mixed space in 150", () => {
    for (const seed of SEEDS) {
      const sphere = runSearch(createStrategy("tpe", sphereSpace(2), { seed, trials: 100 }), sphereObjective);
      expect(sphere).toHaveLength(100);
      expect(bestScore(sphere)).toBeGreaterThan(-0.06);
      const mixed = runSearch(createStrategy("tpe", MIXED_SPACE, { seed, trials: 150 }), mixedObjective);
      expect(bestScore(mixed)).toBeGreaterThan(-0.2);
      expect(bestTrial(mixed)?.config.c).toBe("b");
    }
  });

  it("halving picks a config within 1 of the true maximum from noisy low-budget scores", () => {
    const noisy = noisyByBudget(sphereObjective, 2);
    for (const seed of SEEDS) {
      const history = runSearch(createStrategy("halving", sphereSpace(2), { seed, trials: 243 }), noisy);
      const pick = bestTrial(history)!;
      expect(pick.rung).toBe(5);
      expect(sphereObjective(pick.config)).toBeGreaterThan(-1);
    }
  });

  it.each([
    ["grid", 1000, 0.99],
    ["random", 100, 0.85],
    ["tpe", 100, 0.98],
    ["halving", 81, 0.85],
  ] as [StrategyName, number, number][])(
    "%s finds the best branch of a conditional space",
    (name, trials, floor) => {
      for (const seed of SEEDS) {
        const history = runSearch(
          createStrategy(name, CONDITIONAL_SPACE, { seed, trials }),
          conditionalObjective,
        );
        const best = bestTrial(history)!;
        expect(best.config).toMatchObject({ model: "b", "b.flag": true });
        expect(best.score).toBeGreaterThan(floor);
        // Conditional params appear exactly when their parents activate them.
        for (const o of history) {
          expect("a.x" in o.config).toBe(o.config.model === "a");
          expect("b.z" in o.config).toBe(o.config.model === "b" && o.config["b.flag"] === true);
        }
      }
    },
  );
});
