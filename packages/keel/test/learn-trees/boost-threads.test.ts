import { describe, expect, it } from "vitest";
import { matrixFromColumns } from "../../src/learn/core/matrix.js";
import { Rng } from "../../src/learn/core/random.js";
import {
  HistGradientBoostingClassifier,
  HistGradientBoostingRegressor,
} from "../../src/learn/ensemble/index.js";
import { histogramParts, shardCount } from "../../src/learn/ensemble/shard-executor.js";

// 120,000 rows: two row shards, enough to run boosting on worker threads.
const N = 120_000;
function synthetic() {
  const rng = new Rng(11);
  const cols = Array.from({ length: 5 }, () => new Float64Array(N));
  const y3 = new Int32Array(N);
  const yr = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    for (const c of cols) c[i] = rng.next() * 10;
    if (i % 97 === 0) cols[4]![i] = Number.NaN;
    const z = cols[0]![i]! - cols[1]![i]! + (cols[2]![i]! > 5 ? 3 : 0) + rng.next() * 4;
    yr[i] = z;
    y3[i] = z < 0 ? 0 : z < 4 ? 1 : 2;
  }
  return { X: matrixFromColumns(cols, ["a", "b", "c", "d", "e"]), y3, yr };
}

describe("histogram gradient boosting on threads", () => {
  const { X, y3, yr } = synthetic();

  it("zeroes, copies and subtracts only the histogram slots bins can reach", () => {
    // missingBin 4 (stride 5 slots of 4 doubles): feature 0 has 2 bins, feature 1 all 4, feature 2 has 1.
    const parts = Array.from(histogramParts([2, 4, 1], 4));
    // [0, 8): f0's bins; [16, 44): f0's NaN, f1's bins and NaN, f2's bin, joined; [56, 60): f2's NaN.
    expect(parts).toEqual([0, 8, 16, 28, 56, 4]);
    const covered = new Set<number>();
    for (let k = 0; k < parts.length; k += 2)
      for (let i = 0; i < parts[k + 1]!; i++) covered.add(parts[k]! + i);
    for (const [f, nb] of [
      [0, 2],
      [1, 4],
      [2, 1],
    ] as const) {
      for (let b = 0; b < nb; b++)
        for (let w = 0; w < 4; w++) expect(covered.has(f * 20 + b * 4 + w)).toBe(true);
      for (let w = 0; w < 4; w++) expect(covered.has(f * 20 + 16 + w)).toBe(true);
    }
  });

  it("uses two row shards from 100,000 rows and one below", () => {
    expect(shardCount(N)).toBe(2);
    expect(shardCount(60_000)).toBe(1);
  });

  it("grows the same trees on one thread and on two (depth-wise, multiclass, subsampled)", () => {
    const params = {
      maxIter: 6,
      maxDepth: 4,
      maxLeafNodes: null,
      subsample: 0.8,
      colsampleBytree: 0.8,
      earlyStopping: false,
      seed: 5,
    };
    const one = new HistGradientBoostingClassifier({ ...params, nJobs: 1 }).fit(X, y3);
    const two = new HistGradientBoostingClassifier({ ...params, nJobs: 2 }).fit(X, y3);
    const a = one.assertFitted();
    const b = two.assertFitted();
    expect(b.trees.length).toBe(18);
    for (let t = 0; t < a.trees.length; t++) expect(b.trees[t]).toEqual(a.trees[t]);
    expect(b.trainLoss).toEqual(a.trainLoss);
    expect(two.predictProba(X).data).toEqual(one.predictProba(X).data);
    expect(a.trainLoss[6]!).toBeLessThan(a.trainLoss[0]! * 0.8);
  }, 60_000);

  it("grows the same trees on one thread and on two (best-first, early stopping)", () => {
    const params = { maxIter: 8, maxLeafNodes: 15, earlyStopping: true, seed: 2 };
    const one = new HistGradientBoostingRegressor({ ...params, nJobs: 1 }).fit(X, yr);
    const two = new HistGradientBoostingRegressor({ ...params, nJobs: -1 }).fit(X, yr);
    const a = one.assertFitted();
    const b = two.assertFitted();
    expect(b.trees.length).toBe(a.trees.length);
    for (let t = 0; t < a.trees.length; t++) expect(b.trees[t]).toEqual(a.trees[t]);
    expect(b.validLoss).toEqual(a.validLoss);
  }, 60_000);

  it("grows full levels without a leaf limit and stops at the leaf limit with one", () => {
    // No leaf limit: level-wise growth; a limit of 7 < 2^3: best-first growth.
    const params = { maxIter: 3, maxDepth: 3, earlyStopping: false, seed: 1, nJobs: 1 };
    const levelWise = new HistGradientBoostingRegressor({ ...params, maxLeafNodes: null }).fit(X, yr);
    const bestFirst = new HistGradientBoostingRegressor({ ...params, maxLeafNodes: 7 }).fit(X, yr);
    const leaves = (m: HistGradientBoostingRegressor) =>
      m.assertFitted().trees.map((t) => t.feature.filter((f) => f < 0).length);
    expect(leaves(levelWise)).toEqual([8, 8, 8]);
    expect(leaves(bestFirst)).toEqual([7, 7, 7]);
    const p1 = levelWise.predict(X);
    const p2 = bestFirst.predict(X);
    let diff = 0;
    for (let i = 0; i < N; i++) diff += Math.abs(p1[i]! - p2[i]!);
    expect(diff / N).toBeLessThan(0.2);
  }, 60_000);
});
