import { describe, expect, it } from "vitest";
import { isClassifier, isRegressor } from "../../src/learn/core/capabilities.js";
import { matrixFromRows } from "../../src/learn/core/matrix.js";
import { Rng } from "../../src/learn/core/random.js";
import { createModel, MODEL_NAMES } from "../../src/learn/train/model-catalog.js";
import { activeParams } from "../../src/search/space/active-params.js";
import { combinedSpace, MODEL_PARAM, splitModelConfig } from "../../src/search/space/combined-space.js";
import { DEFAULT_SPACES, defaultSpace } from "../../src/search/space/default-spaces.js";
import { inDistribution } from "../../src/search/space/distribution-scale.js";
import { modelParamNames } from "../../src/search/space/model-param-names.js";
import { sampleConfig } from "../../src/search/space/sample-config.js";
import { parseSpaceOverrides } from "../../src/search/space/space-overrides.js";
import type { Config } from "../../src/search/space/types.js";
import { validateSpace } from "../../src/search/space/validate-space.js";
import { createStrategy, STRATEGY_NAMES } from "../../src/search/strategies/strategy.js";
import { runSearch } from "./helpers.js";

// A small, real classification and regression problem to fit sampled configs on.
const rng = new Rng(5);
const rows = Array.from({ length: 60 }, () => [rng.normal(), rng.normal(), rng.normal()]);
const X = matrixFromRows(rows, ["a", "b", "c"]);
const yClass = Int32Array.from(rows, (r) => (r[0]! + 0.5 * r[1]! > 0 ? 1 : 0));
const yReg = Float64Array.from(rows, (r) => 2 * r[0]! - r[2]!);

describe("default spaces", () => {
  it("cover every catalog model but the dummy baseline, and are valid", () => {
    expect(Object.keys(DEFAULT_SPACES).sort()).toEqual(MODEL_NAMES.filter((m) => m !== "dummy").sort());
    for (const space of Object.values(DEFAULT_SPACES)) expect(validateSpace(space)).toBe(space);
  });

  it("use the estimators' real param names", () => {
    for (const [model, space] of Object.entries(DEFAULT_SPACES)) {
      const real = modelParamNames(model);
      for (const p of space.params) expect(real, `${model}.${p.name}`).toContain(p.name);
    }
    expect(modelParamNames("knn")).toEqual(["nNeighbors", "weights"]);
  });

  it("have log-scaled rates and a conditional param", () => {
    const gbdt = defaultSpace("gbdt").params;
    expect(gbdt.find((p) => p.name === "learningRate")?.dist).toEqual({
      kind: "uniform",
      low: 0.01,
      high: 0.3,
      log: true,
    });
    expect(gbdt.find((p) => p.name === "nIterNoChange")?.when).toEqual({ earlyStopping: [true] });
    expect(defaultSpace("logreg").params[0]?.dist).toEqual({
      kind: "uniform",
      low: 1e-3,
      high: 100,
      log: true,
    });
  });

  it("sample configs every estimator accepts and fits", () => {
    for (const model of Object.keys(DEFAULT_SPACES)) {
      const space = defaultSpace(model);
      for (let i = 0; i < 3; i++) {
        const config = sampleConfig(space, new Rng(100 + i));
        const speedUp: Record<string, number> =
          model === "rf" ? { nJobs: 1, nEstimators: 5 } : model === "gbdt" ? { maxIter: 5 } : {};
        const regression = model === "linear" || model === "ridge";
        const { estimator } = createModel(model, regression ? "regression" : "binary", {
          ...config,
          ...speedUp,
        });
        const fit = () => {
          if (isRegressor(estimator)) estimator.fit(X, yReg);
          else if (isClassifier(estimator)) estimator.fit(X, yClass);
          else throw new Error(`${model} is neither a classifier nor a regressor`);
        };
        expect(fit, `${model} ${JSON.stringify(config)}`).not.toThrow();
      }
    }
  });

  it("refuse dummy and unknown models with the searchable list", () => {
    expect(() => defaultSpace("dummy")).toThrow(/baseline.*gbdt, rf/);
    expect(() => defaultSpace("svm")).toThrow(/Unknown model 'svm'/);
    expect(() => defaultSpace("toString")).toThrow(/Unknown model/);
  });
});

describe("combinedSpace", () => {
  it("roots every model's prefixed params on a `model` choice, even for one model", () => {
    const one = combinedSpace(["knn"]);
    expect(one.params.map((p) => p.name)).toEqual(["model", "knn.nNeighbors", "knn.weights"]);
    expect(one.params[0]?.dist).toEqual({ kind: "choice", values: ["knn"] });
    expect(one.params[1]?.when).toEqual({ model: ["knn"] });
  });

  it("prefixes conditions and keeps model order", () => {
    const space = combinedSpace(["logreg", "gbdt"]);
    expect(space.params[0]?.dist).toEqual({ kind: "choice", values: ["logreg", "gbdt"] });
    expect(space.params.find((p) => p.name === "gbdt.nIterNoChange")?.when).toEqual({
      model: ["gbdt"],
      "gbdt.earlyStopping": [true],
    });
  });

  it("applies overrides of listed models and ignores the others", () => {
    const overrides = parseSpaceOverrides({ knn: { nNeighbors: { int: [3, 9] } }, rf: { bootstrap: true } });
    const space = combinedSpace(["knn", "nb"], overrides);
    expect(space.params.find((p) => p.name === "knn.nNeighbors")?.dist).toEqual({
      kind: "int",
      low: 3,
      high: 9,
      log: false,
    });
    expect(space.params.some((p) => p.name.startsWith("rf."))).toBe(false);
  });

  it("rejects an empty or repeated model list and unknown models", () => {
    expect(() => combinedSpace([])).toThrow(/at least one model/);
    expect(() => combinedSpace(["knn", "knn"])).toThrow(/'knn' twice/);
    expect(() => combinedSpace(["knn", "dummy"])).toThrow(/dummy/);
  });

  it("splits a combined config back into model and estimator params", () => {
    const space = combinedSpace(["gbdt", "knn"]);
    for (let i = 0; i < 20; i++) {
      const config = sampleConfig(space, new Rng(i));
      const { model, params } = splitModelConfig(config);
      expect(model).toBe(config[MODEL_PARAM]);
      expect(Object.keys(params).length).toBe(Object.keys(config).length - 1);
      for (const name of Object.keys(params)) expect(modelParamNames(model)).toContain(name);
    }
    expect(() => splitModelConfig({ x: 1 })).toThrow(/'model'/);
  });

  it("every strategy proposes legal configs over the space of all models", () => {
    const space = combinedSpace(Object.keys(DEFAULT_SPACES));
    const fake = (c: Config) =>
      Object.values(c).reduce<number>((s, v) => s + (typeof v === "number" ? Math.log1p(Math.abs(v)) : 0), 0);
    for (const name of STRATEGY_NAMES) {
      const history = runSearch(createStrategy(name, space, { seed: 1, trials: 30 }), (c) => fake(c));
      expect(history.length).toBeGreaterThan(0);
      for (const { config } of history) {
        const active = activeParams(space, config);
        expect(Object.keys(config).sort()).toEqual(active.map((p) => p.name).sort());
        for (const p of active)
          expect(inDistribution(p.dist, config[p.name]), `${p.name}=${config[p.name]}`).toBe(true);
      }
    }
  });
});
