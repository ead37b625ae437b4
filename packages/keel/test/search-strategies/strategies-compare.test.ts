import { describe, expect, it } from "vitest";
import { createStrategy } from "../../src/search/strategies/strategy.js";
import {
  bestScore,
  bestTrial,
  mean,
  noisyByBudget,
  runSearch,
  sphereObjective,
  sphereSpace,
} from "./helpers.js";

const SEEDS = [0, 1, 2, 3, 4, 5];

describe("strategies against random search on fixed tasks", () => {
  it("TPE beats random search on average at equal trial counts (4-d sphere, 60 trials, 6 seeds)", () => {
    const space = sphereSpace(4);
    const tpe = SEEDS.map(
      (seed) => bestScore(runSearch(createStrategy("tpe", space, { seed, trials: 60 }), sphereObjective))!,
    );
    const random = SEEDS.map(
      (seed) => bestScore(runSearch(createStrategy("random", space, { seed, trials: 60 }), sphereObjective))!,
    );
    expect(mean(tpe)).toBeGreaterThan(mean(random) + 1);
    expect(tpe.filter((t, i) => t > random[i]!).length).toBeGreaterThanOrEqual(4);
  });

  it("halving beats random search at equal total budget when low-budget scores predict full-budget ones", () => {
    // Scores at budget b carry noise with sd 8 (1 - b): rough early, exact at full budget.
    const objective = noisyByBudget(sphereObjective, 8);
    const space = sphereSpace(2);
    const halving: number[] = [];
    const random: number[] = [];
    // 20 seeds: with 4 full-budget random trials against 27 noisy ones, 6 seeds are too few for a
    // per-seed count to be stable (15 of these 20 go to halving).
    for (let seed = 0; seed < 20; seed++) {
      const h = runSearch(createStrategy("halving", space, { seed, trials: 27 }), objective);
      const total = h.reduce((s, o) => s + o.budget, 0);
      expect(total).toBeCloseTo(4, 9); // 27/27 + 9/9 + 3/3 + 1
      halving.push(sphereObjective(bestTrial(h)!.config));
      const r = runSearch(createStrategy("random", space, { seed, trials: Math.floor(total) }), objective);
      random.push(sphereObjective(bestTrial(r)!.config));
    }
    expect(mean(halving)).toBeGreaterThan(mean(random) + 1);
    expect(halving.filter((h, i) => h > random[i]!).length).toBeGreaterThanOrEqual(13);
  });
});
