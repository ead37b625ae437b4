import { describe, expect, it } from "vitest";
import { type Matrix, matrixFromColumns } from "../../src/learn/core/matrix.js";
import { Rng } from "../../src/learn/core/random.js";
import { BoostingDataCache, withBoostingDataCache } from "../../src/learn/ensemble/boosting-data-cache.js";
import {
  HistGradientBoostingClassifier,
  HistGradientBoostingRegressor,
} from "../../src/learn/ensemble/index.js";

// 12,000 rows: above the 10,000 of earlyStopping "auto", so fits hold out a validation split.
const N = 12_000;
function synthetic(seed: number) {
  const rng = new Rng(seed);
  const cols = Array.from({ length: 4 }, () => new Float64Array(N));
  const y = new Int32Array(N);
  const yr = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    for (const c of cols) c[i] = Math.round(rng.next() * 300) / 3;
    if (i % 53 === 0) cols[3]![i] = Number.NaN;
    const z = cols[0]![i]! - cols[1]![i]! + (cols[2]![i]! > 50 ? 30 : 0) + rng.normal() * 20;
    yr[i] = z;
    y[i] = z > 10 ? 1 : 0;
  }
  return { X: matrixFromColumns(cols, ["a", "b", "c", "d"]), y, yr };
}

const copyOf = (X: Matrix): Matrix =>
  matrixFromColumns(
    X.columns.map((c) => c.slice()),
    X.names,
  );

describe("boosting data cache", () => {
  const { X, y, yr } = synthetic(4);
  const params = { maxIter: 12, subsample: 0.8, colsampleBytree: 0.75, seed: 7 };

  it("gives exactly the trees of an uncached fit, and a second fit on equal data hits", () => {
    const plain = new HistGradientBoostingClassifier(params).fit(X, y).assertFitted();
    const cache = new BoostingDataCache();
    const first = withBoostingDataCache(cache, () =>
      new HistGradientBoostingClassifier(params).fit(X, y).assertFitted(),
    );
    // A fresh copy of the same rows (as each search fold re-materialises them) hits.
    const second = withBoostingDataCache(cache, () =>
      new HistGradientBoostingClassifier({ ...params, learningRate: 0.3 }).fit(copyOf(X), y.slice()),
    ).assertFitted();
    expect(cache.stats).toMatchObject({ hits: 1, misses: 1, entries: 1 });
    expect(first.trees).toEqual(plain.trees);
    expect(first.validLoss).toEqual(plain.validLoss);
    expect(first.trainLoss).toEqual(plain.trainLoss);
    const uncachedSecond = new HistGradientBoostingClassifier({ ...params, learningRate: 0.3 })
      .fit(X, y)
      .assertFitted();
    expect(second.trees).toEqual(uncachedSecond.trees);
  });

  it("misses on a changed value, target, seed or bin count, and on regression targets", () => {
    const cache = new BoostingDataCache();
    const fit = (Xf: Matrix, yf: Int32Array, extra = {}) =>
      withBoostingDataCache(cache, () =>
        new HistGradientBoostingClassifier({ ...params, ...extra }).fit(Xf, yf),
      );
    fit(X, y);
    const changed = copyOf(X);
    changed.columns[1]![N - 1]! += 1;
    const flipped = y.slice();
    flipped[0] = 1 - flipped[0]!;
    const a = fit(changed, y).assertFitted();
    fit(X, flipped);
    fit(X, y, { seed: 8 });
    fit(X, y, { maxBins: 63 });
    expect(cache.stats).toMatchObject({ hits: 0, misses: 5, entries: 5 });
    expect(a.trees).toEqual(new HistGradientBoostingClassifier(params).fit(changed, y).assertFitted().trees);
    const reg = withBoostingDataCache(cache, () => new HistGradientBoostingRegressor(params).fit(X, yr));
    expect(cache.stats.misses).toBe(6);
    expect(reg.assertFitted().trees).toEqual(
      new HistGradientBoostingRegressor(params).fit(X, yr).assertFitted().trees,
    );
  });

  it("does not keep the caller's arrays: changing them after a fit cannot corrupt a later hit", () => {
    const cache = new BoostingDataCache();
    const mine = copyOf(X);
    const noSplit = { ...params, earlyStopping: false }; // trains on the input rows themselves
    withBoostingDataCache(cache, () => new HistGradientBoostingClassifier(noSplit).fit(mine, y));
    for (const c of mine.columns) c.fill(0);
    const again = withBoostingDataCache(cache, () =>
      new HistGradientBoostingClassifier(noSplit).fit(copyOf(X), y),
    ).assertFitted();
    expect(cache.stats.hits).toBe(1);
    expect(again.trees).toEqual(new HistGradientBoostingClassifier(noSplit).fit(X, y).assertFitted().trees);
  });

  it("hashes the data on every fit by default, once per array with immutableInputs", () => {
    const noSplit = { ...params, earlyStopping: false };
    const mine = copyOf(X);
    const fitWith = (cache: BoostingDataCache) =>
      withBoostingDataCache(cache, () => new HistGradientBoostingClassifier(noSplit).fit(mine, y));
    const byContent = new BoostingDataCache();
    const byIdentity = new BoostingDataCache({ immutableInputs: true });
    const first = fitWith(byIdentity).assertFitted();
    expect(fitWith(byIdentity).assertFitted().trees).toEqual(first.trees);
    expect(byIdentity.stats).toMatchObject({ hits: 1, misses: 1 });
    fitWith(byContent);
    // The same array object with new values: a content key sees the change...
    mine.columns[0]!.reverse();
    const changed = fitWith(byContent).assertFitted();
    expect(byContent.stats).toMatchObject({ hits: 0, misses: 2 });
    expect(changed.trees).toEqual(
      new HistGradientBoostingClassifier(noSplit).fit(mine, y).assertFitted().trees,
    );
    // ...an identity key, by its contract, does not (the caller promised never to do this).
    fitWith(byIdentity);
    expect(byIdentity.stats).toMatchObject({ hits: 2, misses: 1 });
  });

  it("evicts least recently used entries beyond its byte cap, and serves only inside its scope", () => {
    const other = synthetic(5);
    const probe = new BoostingDataCache();
    withBoostingDataCache(probe, () => new HistGradientBoostingClassifier(params).fit(X, y));
    const one = probe.stats.bytes;
    expect(one).toBeGreaterThan(N * 4); // bins alone are a byte per value
    const cache = new BoostingDataCache({ maxBytes: Math.floor(one * 1.5) });
    const fit = (Xf: Matrix, yf: Int32Array) =>
      withBoostingDataCache(cache, () => new HistGradientBoostingClassifier(params).fit(Xf, yf));
    fit(X, y);
    fit(other.X, other.y); // evicts the first
    fit(X, y);
    expect(cache.stats).toMatchObject({ hits: 0, misses: 3, entries: 1 });
    new HistGradientBoostingClassifier(params).fit(X, y); // outside the scope: not counted
    expect(cache.stats.misses).toBe(3);
    const tiny = new BoostingDataCache({ maxBytes: 10 });
    withBoostingDataCache(tiny, () => new HistGradientBoostingClassifier(params).fit(X, y));
    expect(tiny.stats).toMatchObject({ entries: 0, bytes: 0 });
  });

  it("restores the previous scope after an exception", () => {
    const outer = new BoostingDataCache();
    const inner = new BoostingDataCache();
    withBoostingDataCache(outer, () => {
      expect(() =>
        withBoostingDataCache(inner, () => {
          throw new Error("boom");
        }),
      ).toThrow("boom");
      new HistGradientBoostingClassifier(params).fit(X, y);
    });
    expect(outer.stats.misses).toBe(1);
    expect(inner.stats.misses).toBe(0);
  });
});
