import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { blobs } from "../../src/learn/core/index.js";
import { LogisticRegression } from "../../src/learn/linear/index.js";
import { defaultPipeline, trainingSet } from "../../src/learn/pipeline/index.js";
import { inferColumnRoles } from "../../src/learn/transform/index.js";
import {
  classificationScorers,
  crossValidate,
  GroupKFold,
  holdoutSplit,
  KFold,
  StratifiedKFold,
  TimeSeriesSplit,
} from "../../src/learn/validation/index.js";
import { seattleTask } from "../learn-linear/bench-data.js";

// Folds computed by ../learn-metrics/reference/sklearn_metrics.py with scikit-learn 1.2.
const ref = JSON.parse(
  readFileSync(
    join(fileURLToPath(new URL(".", import.meta.url)), "../learn-metrics/reference/sklearn_metrics.json"),
    "utf8",
  ),
).splits;
const tests = (folds: { test: Int32Array }[]) => folds.map((f) => Array.from(f.test));

describe("splitters match scikit-learn", () => {
  it("KFold, StratifiedKFold, GroupKFold, TimeSeriesSplit", () => {
    expect(tests(new KFold().split({ nRows: 23 }))).toEqual(ref.kfold5);
    expect(tests(new StratifiedKFold({ nSplits: 4 }).split({ nRows: 23, y: ref.y }))).toEqual(
      ref.stratified4,
    );
    expect(tests(new GroupKFold({ nSplits: 3 }).split({ nRows: 23, groups: ref.groups }))).toEqual(
      ref.group3,
    );
    const ts = new TimeSeriesSplit({ nSplits: 3, maxTrainSize: 8, gap: 1 }).split({ nRows: 23 });
    expect(ts.map((f) => [Array.from(f.train), Array.from(f.test)])).toEqual(ref.timeseries);
    const ts4 = new TimeSeriesSplit({ nSplits: 4 }).split({ nRows: 23 });
    expect(ts4.map((f) => [Array.from(f.train), Array.from(f.test)])).toEqual(ref.timeseries_default);
  });

  it("shuffled folds are seeded partitions; every row is tested once", () => {
    for (const cv of [
      new KFold({ shuffle: true, seed: 4 }),
      new StratifiedKFold({ shuffle: true, seed: 4 }),
    ]) {
      const folds = cv.split({ nRows: 23, y: ref.y });
      expect(tests(folds)).toEqual(tests(cv.split({ nRows: 23, y: ref.y })));
      expect(
        tests(folds)
          .flat()
          .sort((a, b) => a - b),
      ).toEqual(Array.from({ length: 23 }, (_, i) => i));
      for (const f of folds) expect(f.train.length + f.test.length).toBe(23);
    }
  });

  it("holdout: sizes like train_test_split, stratified proportions, time order without shuffle", () => {
    const y = Int32Array.from({ length: 100 }, (_, i) => (i < 70 ? 0 : 1));
    const h = holdoutSplit(100, { testSize: 0.2, stratify: y, seed: 1 });
    expect(h.test.length).toBe(20);
    expect(Array.from(h.test).filter((i) => y[i] === 1).length).toBe(6);
    expect(Array.from(holdoutSplit(10, { testSize: 0.3, shuffle: false }).test)).toEqual([7, 8, 9]);
    expect(() => holdoutSplit(3, { testSize: 0.999 })).toThrow(/leaves no train or no test rows/);
  });

  it("rejects impossible splits with clear messages", () => {
    expect(() => new KFold({ nSplits: 10 }).split({ nRows: 5 })).toThrow(/cannot make 10 folds from 5 rows/);
    expect(() => new GroupKFold({ nSplits: 3 }).split({ nRows: 4, groups: [1, 1, 2, 2] })).toThrow(
      /from 2 groups/,
    );
    expect(() => new StratifiedKFold().split({ nRows: 4 })).toThrow(/needs y/);
    expect(() => new TimeSeriesSplit({ nSplits: 5 }).split({ nRows: 5 })).toThrow(/cannot make 5 splits/);
  });
});

describe("crossValidate", () => {
  it("scores a fresh model per fold on synthetic blobs", () => {
    const { X, y } = blobs(1, 150, 4, 3);
    const cv = crossValidate(
      () => new LogisticRegression(),
      X,
      y,
      new StratifiedKFold({ nSplits: 5 }),
      classificationScorers(),
    );
    expect(cv.folds).toHaveLength(5);
    expect(cv.mean.accuracy).toBeGreaterThan(0.8);
    expect(cv.mean.roc_auc).toBeGreaterThan(0.9);
    expect(cv.std.accuracy).toBeLessThan(0.15);
  });

  it("cross-validates a pipeline on seattle-weather in time order", async () => {
    const task = await seattleTask();
    const train = trainingSet(task.train, task.target, "classification");
    const roles = inferColumnRoles(train.X);
    const cv = crossValidate(
      () => defaultPipeline(roles, new LogisticRegression({ maxIter: 500 }), { scale: true }),
      train.X,
      train.y,
      new TimeSeriesSplit({ nSplits: 3 }),
      { accuracy: classificationScorers().accuracy! },
    );
    expect(cv.mean.accuracy).toBeGreaterThan(0.6);
  });
});
