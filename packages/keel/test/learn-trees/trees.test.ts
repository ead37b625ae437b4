import { describe, expect, it } from "vitest";
import { checkEstimator } from "../../src/learn/core/check-estimator.js";
import { matrixFromColumns, matrixFromRows } from "../../src/learn/core/matrix.js";
import { Rng } from "../../src/learn/core/random.js";
import { deserializeEstimator } from "../../src/learn/core/registry.js";
import {
  HistGradientBoostingClassifier,
  HistGradientBoostingRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
} from "../../src/learn/ensemble/index.js";
import {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  leafIndex,
  splitThreshold,
  treeDepth,
} from "../../src/learn/tree/index.js";

const XOR_X = matrixFromRows([
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
]);
const XOR_Y = Int32Array.from([0, 1, 1, 0]);

// Noisy XOR in the unit square: label = (x0 > 0.5) xor (x1 > 0.5), with 2 uninformative features.
function noisyXor(n: number, seed: number) {
  const rng = new Rng(seed);
  const cols = Array.from({ length: 4 }, () => new Float64Array(n));
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (const c of cols) c[i] = rng.next();
    y[i] = cols[0]![i]! > 0.5 !== cols[1]![i]! > 0.5 ? 1 : 0;
  }
  return { X: matrixFromColumns(cols), y };
}

describe("float32 thresholds", () => {
  it("lie in (lo, hi] and are float32 numbers", () => {
    const lo = Math.fround(0.1);
    const hi = Math.fround(0.2);
    const t = splitThreshold(lo, hi);
    expect(Math.fround(t)).toBe(t);
    expect(t > lo && t <= hi).toBe(true);
    // Neighbouring float32 values: the midpoint rounds to one of them, so hi is used.
    const next = Math.fround(1 + 2 ** -23);
    expect(splitThreshold(1, next)).toBe(next);
  });

  it("send every training value to the same side in float64 and float32", () => {
    const rng = new Rng(7);
    const x = Float64Array.from({ length: 2000 }, () => rng.normal() * 1e3);
    const y = Float64Array.from(x, (v) => Math.sin(v / 100));
    const tree = new DecisionTreeRegressor().fit(matrixFromColumns([x]), y).assertFitted().tree;
    let splits = 0;
    let disagreements = 0;
    for (let node = 0; node < tree.nodeCount; node++) {
      const t = tree.threshold[node]!;
      if (tree.feature[node]! < 0) continue;
      splits++;
      if (Math.fround(t) !== t) disagreements++;
      for (const v of x) if (v < t !== Math.fround(v) < t) disagreements++;
    }
    expect(splits).toBeGreaterThan(100);
    expect(disagreements).toBe(0);
  });
});

describe("decision trees", () => {
  it("solve XOR exactly", () => {
    const clf = new DecisionTreeClassifier().fit(XOR_X, XOR_Y);
    expect([...clf.predict(XOR_X)]).toEqual([0, 1, 1, 0]);
    expect(treeDepth(clf.assertFitted().tree)).toBe(2);
  });

  it("find the known best split of a small regression", () => {
    const reg = new DecisionTreeRegressor({ maxDepth: 1 }).fit(
      matrixFromRows([[1], [2], [3], [4]]),
      Float64Array.from([5, 5, 9, 9]),
    );
    const { tree } = reg.assertFitted();
    expect(tree.nodeCount).toBe(3);
    expect(tree.threshold[0]).toBe(2.5);
    expect([...reg.predict(matrixFromRows([[2.4], [2.5], [100]]))]).toEqual([5, 9, 9]);
    expect(tree.weight[0]).toBe(4);
  });

  it("find the known Gini split and leaf probabilities", () => {
    // x <= 3 is pure class 0 (3 rows); x >= 4 holds 1 row of class 0 and 3 of class 1.
    const X = matrixFromRows([[1], [2], [3], [4], [5], [6], [7]]);
    const y = Int32Array.from([0, 0, 0, 0, 1, 1, 1]);
    const clf = new DecisionTreeClassifier({ maxDepth: 1 }).fit(X, y);
    const { tree } = clf.assertFitted();
    expect(tree.threshold[0]).toBe(4.5);
    const proba = clf.predictProba(matrixFromRows([[0], [9]])).data;
    expect([...proba]).toEqual([1, 0, 0, 1]);
  });

  it("learn where missing values go", () => {
    // Class 1 exactly when x is NaN; the tree must route NaN to its own side.
    const x = Float64Array.from([1, 2, 3, Number.NaN, 4, Number.NaN, 5, Number.NaN]);
    const y = Int32Array.from([0, 0, 0, 1, 0, 1, 0, 1]);
    const clf = new DecisionTreeClassifier().fit(matrixFromColumns([x]), y);
    expect([...clf.predict(matrixFromColumns([Float64Array.from([Number.NaN, 2.5, 100])]))]).toEqual([
      1, 0, 0,
    ]);
  });

  it("respect maxDepth, minSamplesLeaf and report importances", () => {
    const { X } = noisyXor(500, 1);
    // Only feature 0 matters (with 10% label noise).
    const rng = new Rng(12);
    const y = Int32Array.from(X.columns[0]!, (v) => (v > 0.5 !== rng.next() < 0.1 ? 1 : 0));
    const clf = new DecisionTreeClassifier({ maxDepth: 4, minSamplesLeaf: 10 }).fit(X, y);
    const { tree, featureImportances } = clf.assertFitted();
    expect(treeDepth(tree)).toBeLessThanOrEqual(4);
    for (let i = 0; i < tree.nodeCount; i++)
      if (tree.feature[i]! < 0) expect(tree.weight[i]).toBeGreaterThanOrEqual(10);
    expect(featureImportances[0]!).toBeGreaterThan(0.7);
    expect(featureImportances.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it("agree with the ONNX-style leaf lookup on float32-rounded inputs", () => {
    const { X, y } = noisyXor(300, 2);
    const { tree } = new DecisionTreeClassifier().fit(X, y).assertFitted();
    const x32 = X.columns.map((c) => Float64Array.from(c, Math.fround));
    for (let i = 0; i < X.nRows; i++) expect(leafIndex(tree, X.columns, i)).toBe(leafIndex(tree, x32, i));
  });
});

describe("ensembles on XOR", () => {
  const { X, y } = noisyXor(2000, 3);
  const test = noisyXor(1000, 4);
  const accuracy = (pred: Int32Array) => pred.filter((p, i) => p === test.y[i]).length / pred.length;

  it("random forest", () => {
    const rf = new RandomForestClassifier({ nEstimators: 30, nJobs: 1 }).fit(X, y);
    expect(accuracy(rf.predict(test.X))).toBeGreaterThan(0.95);
  });

  it("gradient boosting", () => {
    const gb = new HistGradientBoostingClassifier({ maxIter: 50 }).fit(X, y);
    expect(accuracy(gb.predict(test.X))).toBeGreaterThan(0.95);
  });
});

describe("determinism and serialization", () => {
  const { X, y } = noisyXor(3000, 5);
  const yr = Float64Array.from(y, (v, i) => v + X.columns[2]![i]!);

  it("same seed, same model; another seed, another model", () => {
    const a = new RandomForestClassifier({ nEstimators: 5, nJobs: 1, seed: 1 })
      .fit(X, y)
      .predictProba(X).data;
    const b = new RandomForestClassifier({ nEstimators: 5, nJobs: 1, seed: 1 })
      .fit(X, y)
      .predictProba(X).data;
    const c = new RandomForestClassifier({ nEstimators: 5, nJobs: 1, seed: 2 })
      .fit(X, y)
      .predictProba(X).data;
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const g1 = new HistGradientBoostingRegressor({
      maxIter: 20,
      subsample: 0.5,
      colsampleBytree: 0.5,
      seed: 4,
    });
    const g2 = g1.clone();
    expect(g1.fit(X, yr).predict(X)).toEqual(g2.fit(X, yr).predict(X));
  });

  it("predict the same after serialize -> JSON -> deserialize", () => {
    for (const est of [
      new DecisionTreeClassifier({ maxDepth: 5 }).fit(X, y),
      new DecisionTreeRegressor().fit(X, yr),
      new RandomForestClassifier({ nEstimators: 4, nJobs: 1 }).fit(X, y),
      new RandomForestRegressor({ nEstimators: 4, nJobs: 1 }).fit(X, yr),
      new HistGradientBoostingClassifier({ maxIter: 10 }).fit(X, y),
      new HistGradientBoostingRegressor({ maxIter: 10 }).fit(X, yr),
    ]) {
      const back = deserializeEstimator(JSON.parse(JSON.stringify(est.serialize())));
      expect(back.getParams()).toEqual(est.getParams());
      expect((back as typeof est).predict(X)).toEqual(est.predict(X));
    }
  });

  it.each([
    DecisionTreeClassifier,
    DecisionTreeRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
  ])("%O passes the conformance suite", async (Ctor) => {
    expect(await checkEstimator(Ctor)).toEqual([]);
  });
});

describe("gradient boosting specifics", () => {
  it("stops early on a noisy problem and reports the training curve", () => {
    const rng = new Rng(9);
    const n = 4000;
    const x = Float64Array.from({ length: n }, () => rng.next());
    const y = Int32Array.from(x, (v) => (rng.next() < 0.3 + 0.4 * v ? 1 : 0));
    const curve: Record<string, number>[] = [];
    const gb = new HistGradientBoostingClassifier({ maxIter: 500, earlyStopping: true, learningRate: 0.3 });
    gb.fit(matrixFromColumns([x]), y, { onIteration: (_i, m) => curve.push({ ...m }) });
    const s = gb.assertFitted();
    expect(s.nIter).toBeLessThan(500);
    expect(curve.length).toBe(s.nIter);
    expect(s.trees.length).toBe(s.nIter);
    expect(s.validLoss!.length).toBe(s.nIter + 1);
    expect(curve[0]!.valid_loss).toBeGreaterThan(0);
    expect(curve.at(-1)!.train_loss).toBeLessThan(curve[0]!.train_loss!);
  });

  it("builds one tree per class per iteration for multiclass and limits leaves", () => {
    const rng = new Rng(10);
    const n = 900;
    const x = Float64Array.from({ length: n }, () => rng.next() * 3);
    const y = Int32Array.from(x, (v) => Math.floor(v));
    const gb = new HistGradientBoostingClassifier({ maxIter: 7, maxLeafNodes: 4, minSamplesLeaf: 5 }).fit(
      matrixFromColumns([x]),
      y,
    );
    const s = gb.assertFitted();
    expect(s.trees.length).toBe(21);
    for (const t of s.trees) expect(t.nodeCount).toBeLessThanOrEqual(7);
    const proba = gb.predictProba(matrixFromColumns([Float64Array.of(0.5, 1.5, 2.5)]));
    expect([...gb.predict(matrixFromColumns([Float64Array.of(0.5, 1.5, 2.5)]))]).toEqual([0, 1, 2]);
    for (let i = 0; i < 3; i++)
      expect(proba.data[i * 3]! + proba.data[i * 3 + 1]! + proba.data[i * 3 + 2]!).toBeCloseTo(1, 12);
  });

  it("routes NaN like the training data did", () => {
    const rng = new Rng(11);
    const n = 2000;
    const x = Float64Array.from({ length: n }, (_, i) => (i % 4 === 0 ? Number.NaN : rng.next()));
    const y = Int32Array.from(x, (v) => (Number.isNaN(v) ? 1 : 0));
    const gb = new HistGradientBoostingClassifier({ maxIter: 20 }).fit(matrixFromColumns([x]), y);
    expect([...gb.predict(matrixFromColumns([Float64Array.of(Number.NaN, 0.3)]))]).toEqual([1, 0]);
  });
});

describe("bad input", () => {
  const X = matrixFromRows([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);

  it("names the problem", () => {
    expect(() => new DecisionTreeClassifier().fit(X, Int32Array.from([1, 1, 1]))).toThrow(/single class/);
    expect(() => new DecisionTreeClassifier().fit(X, Int32Array.from([0, 1]))).toThrow(/3 rows but y has 2/);
    expect(() => new HistGradientBoostingRegressor().fit(X, Float64Array.from([1, Number.NaN, 2]))).toThrow(
      /row 1/,
    );
    expect(() =>
      new RandomForestRegressor().fit(
        matrixFromRows([[1], [Number.POSITIVE_INFINITY]]),
        Float64Array.of(1, 2),
      ),
    ).toThrow(/column 'x0' row 1 is Infinity/);
    expect(() => new DecisionTreeClassifier({ maxDepth: 0 }).fit(X, Int32Array.from([0, 1, 0]))).toThrow(
      /maxDepth/,
    );
    expect(() =>
      new HistGradientBoostingClassifier({ maxBins: 300 }).fit(X, Int32Array.from([0, 1, 0])),
    ).toThrow(/maxBins/);
    expect(() => new RandomForestClassifier({ nJobs: 0 }).fit(X, Int32Array.from([0, 1, 0]))).toThrow(
      /nJobs/,
    );
    expect(() => new DecisionTreeRegressor().predict(X)).toThrow(/not fitted/);
    const fitted = new DecisionTreeRegressor().fit(X, Float64Array.from([1, 2, 3]));
    expect(() => fitted.predict(matrixFromRows([[1]]))).toThrow(/fitted on 2 features/);
    expect(() => new DecisionTreeClassifier().fit(matrixFromRows([]), new Int32Array(0))).toThrow(
      /no training rows/,
    );
  });
});
