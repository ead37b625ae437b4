import { describe, expect, it } from "vitest";
import { subsampleRows } from "../../src/search/run/trial-evaluator.js";
import { fullParams, trialModel } from "../../src/search/run/trial-model.js";

describe("trial budgets and params", () => {
  it("scales gbdt's boosting rounds and keeps all rows; cuts rows for other models", () => {
    const gbdt = trialModel({ model: "gbdt", "gbdt.maxIter": 200 }, 0.25, "binary", { seed: 7 });
    expect(gbdt.rowFraction).toBe(1);
    expect(gbdt.estimator.getParams()).toMatchObject({ maxIter: 50, seed: 7 });
    const full = trialModel({ model: "gbdt" }, 1, "binary", { seed: 7 });
    expect(full.estimator.getParams().maxIter).toBe(100);

    const knn = trialModel({ model: "knn", "knn.nNeighbors": 5 }, 0.25, "binary", { seed: 7 });
    expect(knn.rowFraction).toBe(0.25);
    expect(knn.estimator.getParams().nNeighbors).toBe(5);

    const rf = trialModel({ model: "rf" }, 1, "regression", { seed: 1, innerJobs: 1 });
    expect(rf.estimator.getParams()).toMatchObject({ nJobs: 1, seed: 1 });
  });

  it("gives the refit the trial's full-budget params, seed included unless the config sets it", () => {
    expect(fullParams({ model: "gbdt", "gbdt.learningRate": 0.05 }, "binary", { seed: 4 })).toEqual({
      model: "gbdt",
      params: { learningRate: 0.05, seed: 4 },
    });
    expect(fullParams({ model: "knn", "knn.nNeighbors": 3 }, "binary", { seed: 4 })).toEqual({
      model: "knn",
      params: { nNeighbors: 3 },
    });
  });

  it("subsamples rows per class, seeded and nested: a smaller share is a subset of a larger one", () => {
    const rows = Int32Array.from({ length: 100 }, (_, i) => i * 2);
    const y = new Int32Array(200);
    for (let i = 0; i < 200; i++) y[i] = i < 160 ? 0 : 1; // rows 0..158 class 0, 160..198 class 1
    const half = subsampleRows(rows, 0.5, 11, y);
    const quarter = subsampleRows(rows, 0.25, 11, y);
    expect(half).toHaveLength(50);
    expect([...quarter].every((r) => half.includes(r))).toBe(true);
    expect([...half].filter((r) => y[r] === 1)).toHaveLength(10);
    expect([...subsampleRows(rows, 0.5, 11, y)]).toEqual([...half]);
    expect([...subsampleRows(rows, 0.5, 12, y)]).not.toEqual([...half]);
    // At least one row of each class survives a tiny share.
    expect(new Set([...subsampleRows(rows, 0.01, 11, y)].map((r) => y[r]))).toEqual(new Set([0, 1]));
  });
});
