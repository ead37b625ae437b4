import { describe, expect, it } from "vitest";
import { isKeelError } from "../../src/errors.js";
import type { SearchSpace } from "../../src/search/space/types.js";
import { halvingPlan } from "../../src/search/strategies/halving-strategy.js";
import {
  createStrategy,
  type Observation,
  STRATEGY_NAMES,
  type StrategyName,
} from "../../src/search/strategies/strategy.js";
import { CONDITIONAL_SPACE, conditionalObjective, mean, type Objective, runSearch } from "./helpers.js";

const TRIALS: Record<StrategyName, number> = { grid: 12, random: 20, tpe: 23, halving: 27 };
const make = (name: StrategyName, seed = 7, extra: Record<string, unknown> = {}) =>
  createStrategy(name, CONDITIONAL_SPACE, { seed, trials: TRIALS[name], ...extra });
const noisy: Objective = (config, budget, index) =>
  conditionalObjective(config) + ((index * 37) % 11) / 100 / budget;

describe("batches", () => {
  it("TPE proposes nStartup random trials, then batches of batchSize, whatever the runner's parallelism", () => {
    const sizes: number[] = [];
    const strategy = make("tpe", 7, { batchSize: 4 });
    const history: Observation[] = [];
    for (let batch = strategy.nextBatch(history); batch; batch = strategy.nextBatch(history)) {
      sizes.push(batch.length);
      expect(batch.map((p) => p.index)).toEqual(batch.map((_, k) => history.length + k));
      history.push(...batch.map((p) => ({ ...p, score: conditionalObjective(p.config) })));
    }
    expect(sizes).toEqual([10, 4, 4, 4, 1]);
    expect(strategy.plannedTrials).toBe(23);
  });

  it("random and grid propose everything in one batch", () => {
    expect(make("random").nextBatch([])).toHaveLength(20);
    expect(make("grid").nextBatch([])).toHaveLength(12);
    expect(
      createStrategy("grid", CONDITIONAL_SPACE, { seed: 0, trials: 1000, gridPoints: 3 }).plannedTrials,
    ).toBe(15);
  });

  it("halving runs rung after rung with growing budgets and fresh indices", () => {
    const history = runSearch(make("halving"), noisy);
    expect(history.map((o) => o.rung)).toEqual(
      [...new Array(27).fill(0), ...new Array(9).fill(1), ...new Array(3).fill(2), 1].map((r, i) =>
        i === 39 ? 3 : r,
      ),
    );
    expect(history.map((o) => o.index)).toEqual(history.map((_, i) => i));
    expect([...new Set(history.map((o) => o.budget))]).toEqual([1 / 27, 1 / 9, 1 / 3, 1]);
    expect(make("halving").plannedTrials).toBe(40);
    // Each promoted config is one of the best third of the rung below.
    for (const [rung, size] of [
      [1, 9],
      [2, 3],
      [3, 1],
    ] as const) {
      const below = history
        .filter((o) => o.rung === rung - 1)
        .sort((a, b) => b.score! - a.score! || a.index - b.index);
      const promoted = history.filter((o) => o.rung === rung).map((o) => o.config);
      expect(promoted).toEqual(below.slice(0, size).map((o) => o.config));
    }
  });

  it("halving breaks score ties by index", () => {
    const history = runSearch(make("halving"), () => 1);
    expect(history.filter((o) => o.rung === 1).map((o) => o.config)).toEqual(
      history.slice(0, 9).map((o) => o.config),
    );
  });
});

describe("determinism", () => {
  it.each(STRATEGY_NAMES)("%s: same seed, same proposals; another seed, other proposals", (name) => {
    const a = runSearch(make(name, 3), noisy);
    const b = runSearch(make(name, 3), noisy);
    expect(b).toEqual(a);
    if (name !== "grid") expect(runSearch(make(name, 4), noisy)).not.toEqual(a);
  });

  it.each(STRATEGY_NAMES)("%s: trials finishing out of order give the same search", (name) => {
    const byIndex = (h: Observation[]) => h.sort((x, y) => x.index - y.index);
    expect(byIndex(runSearch(make(name), noisy, { reverseBatches: true }))).toEqual(
      byIndex(runSearch(make(name), noisy)),
    );
  });

  it.each(STRATEGY_NAMES)("%s: a search resumed mid-batch re-proposes exactly the missing trials", (name) => {
    const full = runSearch(make(name), noisy);
    for (const cut of [0, 5, 11, 13, 22, full.length - 1]) {
      // A resumed run knows the trials that finished: a prefix, minus a few of the interrupted batch.
      const known = full.slice(0, cut).filter((o) => o.index % 3 !== 1 || o.index < cut - 4);
      const resumed = make(name);
      const batch = resumed.nextBatch(known);
      const expected = full.filter((o) => !known.some((k) => k.index === o.index));
      expect(batch?.map((p) => p.index) ?? []).toEqual(
        expected.slice(0, batch?.length ?? 0).map((o) => o.index),
      );
      const history: Observation[] = [...known];
      for (let next = batch; next; next = resumed.nextBatch([...history].sort((x, y) => x.index - y.index))) {
        history.push(...next.map((p) => ({ ...p, score: noisy(p.config, p.budget, p.index) })));
      }
      expect(history.sort((x, y) => x.index - y.index)).toEqual(full);
    }
  });
});

describe("failed trials", () => {
  const space: SearchSpace = { params: [{ name: "x", dist: { kind: "uniform", low: 0, high: 10 } }] };
  const fragile: Objective = (c) => ((c.x as number) > 5 ? null : -(((c.x as number) - 4) ** 2));

  it("TPE counts failures as bad and steers away from them", () => {
    // Half the range fails; after the startup trials TPE should rarely go there, random search half the time.
    const failRate = (h: Observation[]) =>
      h.slice(20).filter((o) => o.score === null).length / (h.length - 20);
    const tpeRates: number[] = [];
    const randomRates: number[] = [];
    for (const seed of [0, 1, 2, 3, 4]) {
      const tpe = runSearch(createStrategy("tpe", space, { seed, trials: 60 }), fragile);
      tpeRates.push(failRate(tpe));
      randomRates.push(failRate(runSearch(createStrategy("random", space, { seed, trials: 60 }), fragile)));
      expect(Math.max(...tpe.filter((o) => o.score !== null).map((o) => o.score!))).toBeGreaterThan(-0.01);
    }
    expect(mean(tpeRates)).toBeLessThan(0.25);
    expect(mean(randomRates)).toBeGreaterThan(0.35);
  });

  it("TPE keeps proposing when every trial fails", () => {
    const history = runSearch(createStrategy("tpe", space, { seed: 2, trials: 18 }), () => null);
    expect(history).toHaveLength(18);
  });

  it("halving never promotes a failed trial and stops when a whole rung failed", () => {
    const history = runSearch(createStrategy("halving", space, { seed: 3, trials: 27 }), fragile);
    const failed = new Set(history.filter((o) => o.score === null).map((o) => JSON.stringify(o.config)));
    for (const o of history.filter((o) => (o.rung ?? 0) > 0))
      expect(failed.has(JSON.stringify(o.config))).toBe(false);
    expect(runSearch(createStrategy("halving", space, { seed: 3, trials: 27 }), () => null)).toHaveLength(27);
  });

  it("random and grid simply carry on", () => {
    expect(runSearch(createStrategy("random", space, { seed: 0, trials: 10 }), () => null)).toHaveLength(10);
    expect(runSearch(createStrategy("grid", space, { seed: 0, trials: 10 }), () => null)).toHaveLength(5);
  });
});

describe("options", () => {
  it("plans halving rungs from eta and nRungs or minBudget", () => {
    expect(halvingPlan({ seed: 0, trials: 27 })).toEqual({
      eta: 3,
      sizes: [27, 9, 3, 1],
      budgets: [1 / 27, 1 / 9, 1 / 3, 1],
    });
    expect(halvingPlan({ seed: 0, trials: 20 }).sizes).toEqual([20, 6, 2]);
    expect(halvingPlan({ seed: 0, trials: 27, nRungs: 2 })).toMatchObject({
      sizes: [27, 9],
      budgets: [1 / 3, 1],
    });
    const byBudget = halvingPlan({ seed: 0, trials: 30, minBudget: 0.1 });
    expect(byBudget.sizes).toEqual([30, 10, 3, 1]);
    expect(byBudget.budgets.map((b) => Number(b.toFixed(9)))).toEqual([0.1, 0.3, 0.9, 1]);
    expect(halvingPlan({ seed: 0, trials: 16, eta: 2 }).sizes).toEqual([16, 8, 4, 2, 1]);
    expect(halvingPlan({ seed: 0, trials: 1 })).toMatchObject({ sizes: [1], budgets: [1] });
  });

  it.each([
    [
      () => createStrategy("random", CONDITIONAL_SPACE, { seed: 0, trials: 0 }),
      /--trials must be a positive integer/,
    ],
    [() => createStrategy("random", CONDITIONAL_SPACE, { seed: 0.5, trials: 3 }), /seed must be an integer/],
    [
      () => createStrategy("bayes" as StrategyName, CONDITIONAL_SPACE, { seed: 0, trials: 3 }),
      /Unknown search strategy 'bayes'; use one of grid, random, tpe, halving/,
    ],
    [
      () => createStrategy("tpe", CONDITIONAL_SPACE, { seed: 0, trials: 3, batchSize: 0 }),
      /'batchSize' must be an integer >= 1/,
    ],
    [
      () => createStrategy("halving", CONDITIONAL_SPACE, { seed: 0, trials: 3, eta: 1 }),
      /'eta' must be a number > 1/,
    ],
    [
      () => createStrategy("halving", CONDITIONAL_SPACE, { seed: 0, trials: 3, minBudget: 2 }),
      /'minBudget' must be a number in \(0, 1\]/,
    ],
    [
      () => createStrategy("halving", CONDITIONAL_SPACE, { seed: 0, trials: 3, minBudget: 0.1, nRungs: 2 }),
      /not both/,
    ],
    [() => createStrategy("grid", CONDITIONAL_SPACE, { seed: 0, trials: 3, gridPoints: 0 }), /'gridPoints'/],
    [
      () =>
        createStrategy(
          "tpe",
          { params: [{ name: "x", dist: { kind: "int", low: 3, high: 1 } }] },
          { seed: 0, trials: 3 },
        ),
      /'x'.*greater/,
    ],
  ] as [() => unknown, RegExp][])("rejects bad options with a clear error (%#)", (fn, message) => {
    try {
      fn();
      throw new Error("expected an error");
    } catch (e) {
      expect(isKeelError(e)).toBe(true);
      expect((e as Error).message).toMatch(message);
    }
  });
});
