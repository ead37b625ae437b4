import { describe, expect, it } from "vitest";
import { isKeelError } from "../../src/errors.js";
import {
  checkEstimator,
  deserializeEstimator,
  encodeLabels,
  isClassifier,
  isRegressor,
  matrixFromRows,
  NotFittedError,
  Rng,
  tableFromArrays,
  tableToMatrix,
} from "../../src/learn/core/index.js";
import { DummyClassifier, DummyRegressor } from "../../src/learn/dummy/index.js";

describe("Estimator base", () => {
  it("stores frozen params with defaults and validates them in fit", () => {
    const clf = new DummyClassifier({ strategy: "uniform" });
    expect(clf.getParams()).toEqual({ strategy: "uniform", seed: 0 });
    const bad = new DummyClassifier({ strategy: "nope" as "uniform" });
    const X = matrixFromRows([[1], [2]]);
    expect(() => bad.fit(X, Int32Array.from([0, 1]))).toThrow(
      /Invalid DummyClassifier parameters: param 'strategy' = "nope"/,
    );
  });

  it("rejects unknown param names in setParams, naming the valid ones", () => {
    expect(() => new DummyRegressor().setParams({ strateggy: "mean" } as never)).toThrow(
      /DummyRegressor has no parameter 'strateggy'; valid parameters: strategy, quantile, constant/,
    );
  });

  it("throws NotFittedError before fit", () => {
    const err = (() => {
      try {
        new DummyRegressor().predict(matrixFromRows([[1]]));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(NotFittedError);
    expect(isKeelError(err) && err.code).toBe("INVALID_STATE");
  });

  it("serializes to JSON and back with typed arrays intact", () => {
    const clf = new DummyClassifier({ strategy: "prior" }).fit(
      matrixFromRows([[0], [0], [0], [0]]),
      Int32Array.from([0, 1, 1, 2]),
    );
    const json = JSON.parse(JSON.stringify(clf.serialize()));
    expect(json.state.priors.$typed).toBe("Float64Array");
    const back = deserializeEstimator<DummyClassifier>(json);
    expect(Array.from(back.predictProba(matrixFromRows([[9]])).data)).toEqual([0.25, 0.5, 0.25]);
    expect(() => deserializeEstimator({ type: "Evil", params: {}, state: null })).toThrow(
      /Unknown estimator type 'Evil'/,
    );
  });

  it("guards capabilities by tags", () => {
    expect(isClassifier(new DummyClassifier())).toBe(true);
    expect(isRegressor(new DummyClassifier())).toBe(false);
    expect(isRegressor(new DummyRegressor())).toBe(true);
  });

  it.each([DummyClassifier, DummyRegressor])("%o passes the conformance suite", async (Ctor) => {
    expect(await checkEstimator(Ctor)).toEqual([]);
  });

  it("dummy regressor strategies match numpy", () => {
    const X = matrixFromRows([[0], [0], [0], [0]]);
    const y = Float64Array.from([1, 2, 3, 10]);
    expect(new DummyRegressor().fit(X, y).predict(X)[0]).toBe(4);
    expect(new DummyRegressor({ strategy: "median" }).fit(X, y).predict(X)[0]).toBe(2.5);
    expect(new DummyRegressor({ strategy: "quantile", quantile: 0.9 }).fit(X, y).predict(X)[0]).toBeCloseTo(
      7.9,
      12,
    );
  });
});

describe("data helpers", () => {
  it("builds tables from plain arrays and refuses strings as features", () => {
    const t = tableFromArrays({ x: [1, 2, Number.NaN], ok: [true, false, null], c: ["a", null, "b"] });
    expect(t.columns.map((c) => c.kind)).toEqual(["numeric", "boolean", "string"]);
    expect(Number.isNaN(t.columns[1]!.values[2] as number)).toBe(true);
    expect(() => tableToMatrix(t)).toThrow(/Column 'c' holds strings/);
  });

  it("encodes labels sorted like numpy.unique and rejects a single class", () => {
    expect(encodeLabels(["sun", "rain", "sun", "fog"]).classes).toEqual(["fog", "rain", "sun"]);
    expect(encodeLabels([10, 2, 2]).classes).toEqual(["2", "10"]);
    expect(() => encodeLabels(["a", "a"], { name: "species" })).toThrow(
      /Target 'species' has a single class/,
    );
    expect(() => encodeLabels(["a", null])).toThrow(/missing at row 1/);
  });

  it("Rng is seeded and uniform enough", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 10_000 }, () => a.next());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b.next()));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(new Rng(1).next()).not.toBe(new Rng(2).next());
  });
});
