import { describe, expect, it } from "vitest";
import { Rng } from "../../src/learn/core/random.js";
import type { Observation } from "../../src/search/strategies/strategy.js";
import {
  logNormalCdf,
  logNormalMass,
  normalCdf,
  normalQuantile,
  truncatedNormalDraw,
} from "../../src/search/strategies/tpe/normal.js";
import { parzenEstimator } from "../../src/search/strategies/tpe/parzen-estimator.js";
import { TpeModel } from "../../src/search/strategies/tpe/tpe-model.js";
import { defaultGamma, defaultWeights, splitHistory } from "../../src/search/strategies/tpe/tpe-split.js";
import { CONDITIONAL_SPACE } from "./helpers.js";

const obs = (index: number, score: number | null, config = {}): Observation => ({
  index,
  score,
  config,
  budget: 1,
});

describe("normal helpers", () => {
  it("match reference values of Φ, log Φ and Φ⁻¹", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 7);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316301, 9);
    // scipy.stats.norm.logcdf(-40) = -804.6084420137538
    expect(logNormalCdf(-40)).toBeCloseTo(-804.6084420137538, 4);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 6);
    expect(Math.exp(logNormalMass(-1, 1))).toBeCloseTo(0.6826894921370859, 7);
    // Far in the upper tail the mass stays exact in log space: log(Φ(-30) - Φ(-31)).
    expect(logNormalMass(30, 31)).toBeCloseTo(logNormalCdf(-30), 6);
  });

  it("draws truncated normals inside the window with the right mean", () => {
    const rng = new Rng(1);
    const xs = Array.from({ length: 4000 }, () => truncatedNormalDraw(0, 1, 0, 10, rng.next()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(Math.sqrt(2 / Math.PI), 1);
    expect(truncatedNormalDraw(0, 1, 8, 9, 0.5)).toBeGreaterThan(8);
  });
});

describe("TPE split and weights (Optuna defaults)", () => {
  it("gamma is min(ceil(0.1 n), 25)", () => {
    expect([1, 10, 11, 100, 1000].map(defaultGamma)).toEqual([1, 1, 2, 10, 25]);
  });

  it("weights are flat up to 25 trials, then ramp up for the oldest", () => {
    expect(defaultWeights(10)).toEqual(new Array(10).fill(1));
    const w = defaultWeights(30);
    expect(w).toHaveLength(30);
    expect(w[0]).toBeCloseTo(1 / 30, 12);
    expect(w[4]).toBeCloseTo(1, 12);
    expect(w.slice(5)).toEqual(new Array(25).fill(1));
  });

  it("puts the best scores below, failures and ties-by-later-index above", () => {
    const history = [
      obs(0, 0.5),
      obs(1, null),
      obs(2, 0.9),
      obs(3, 0.9),
      ...Array.from({ length: 8 }, (_, i) => obs(4 + i, 0.1)),
    ];
    const { below, above } = splitHistory(history);
    expect(below.map((o) => o.index)).toEqual([2, 3]);
    expect(above.map((o) => o.index)).toEqual([0, 1, ...Array.from({ length: 8 }, (_, i) => 4 + i)]);
    expect(splitHistory([obs(0, null), obs(1, null)]).below).toEqual([]);
  });
});

describe("Parzen estimators", () => {
  it("a numeric density integrates to 1 over its bounds and peaks at the observations", () => {
    const dist = { kind: "uniform", low: 0, high: 10 } as const;
    const p = parzenEstimator(dist, { values: [2, 2.5, 7], weights: [1, 1, 1] }, 1);
    let integral = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) integral += Math.exp(p.logPdf(((i + 0.5) / n) * 10)) * (10 / n);
    expect(integral).toBeCloseTo(1, 3);
    expect(p.logPdf(2.3)).toBeGreaterThan(p.logPdf(5));
    const rng = new Rng(2);
    for (let i = 0; i < 500; i++) {
      const v = p.sample(rng) as number;
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(10);
    }
  });

  it("an int density is a probability mass over the step grid, also on a log scale", () => {
    for (const dist of [
      { kind: "int", low: 1, high: 20, step: 1 },
      { kind: "int", low: 0, high: 30, step: 5 },
      { kind: "int", low: 1, high: 100, log: true },
    ] as const) {
      const p = parzenEstimator(dist, { values: [dist.low + (dist.step ?? 1) * 2], weights: [1] }, 1);
      let total = 0;
      for (let v = dist.low; v <= dist.high; v += dist.step ?? 1) total += Math.exp(p.logPdf(v));
      expect(total).toBeCloseTo(1, 6);
      const rng = new Rng(3);
      for (let i = 0; i < 200; i++) {
        const v = p.sample(rng) as number;
        expect(Number.isInteger((v - dist.low) / (dist.step ?? 1))).toBe(true);
      }
    }
  });

  it("a categorical estimator sums to 1 and favours observed choices, with a prior for the rest", () => {
    const dist = { kind: "choice", values: ["a", "b", "c"] } as const;
    const p = parzenEstimator(dist, { values: ["b", "b", "a"], weights: [1, 1, 1] }, 1);
    const probs = ["a", "b", "c"].map((v) => Math.exp(p.logPdf(v)));
    expect(probs.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    expect(probs[1]).toBeGreaterThan(probs[0]!);
    expect(probs[0]).toBeGreaterThan(probs[2]!);
    expect(probs[2]).toBeGreaterThan(0);
    const empty = parzenEstimator(dist, { values: [], weights: [] }, 1);
    expect(Math.exp(empty.logPdf("c"))).toBeCloseTo(1 / 3, 12);
  });
});

describe("TpeModel", () => {
  it("proposes near the good trials and learns conditional params from their own branch", () => {
    // Good trials: model b with flag on and z near 0.7; bad: model a, b with flag off, or b with z far from 0.7.
    const history: Observation[] = [];
    const rng = new Rng(4);
    for (let i = 0; i < 40; i++) {
      const good = i % 8 === 0;
      const config = good
        ? { model: "b", "b.k": 3, "b.flag": true, "b.z": 0.7 + (rng.next() - 0.5) * 0.05 }
        : i % 2 === 0
          ? { model: "a", "a.x": rng.next() }
          : i % 4 === 1
            ? { model: "b", "b.k": 1 + rng.int(10), "b.flag": false }
            : { model: "b", "b.k": 1 + rng.int(10), "b.flag": true, "b.z": rng.next() * 0.4 };
      history.push(obs(i, good ? 1 : 0, config));
    }
    const model = new TpeModel(CONDITIONAL_SPACE, history, { nCandidates: 24, priorWeight: 1 });
    const proposals = Array.from({ length: 40 }, (_, i) => model.propose(new Rng(100 + i)));
    expect(proposals.filter((c) => c.model === "b" && c["b.flag"] === true).length).toBeGreaterThan(30);
    const zs = proposals.filter((c) => "b.z" in c).map((c) => c["b.z"] as number);
    expect(zs.filter((z) => Math.abs(z - 0.7) < 0.1).length / zs.length).toBeGreaterThan(0.7);
  });
});
