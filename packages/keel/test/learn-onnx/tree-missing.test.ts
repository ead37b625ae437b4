import { describe, expect, it } from "vitest";
import { matrixFromColumns } from "../../src/learn/core/matrix.js";
import { Rng } from "../../src/learn/core/random.js";
import { matrixToTable } from "../../src/learn/core/table.js";
import { HistGradientBoostingClassifier, RandomForestClassifier } from "../../src/learn/ensemble/index.js";
import { onnxParity } from "../../src/learn/onnx/parity.js";
import { DecisionTreeClassifier } from "../../src/learn/tree/index.js";

const MISSING_ATTR = "nodes_missing_value_tracks_true";

function contains(bytes: Uint8Array, text: string): boolean {
  return Buffer.from(bytes).includes(Buffer.from(text, "latin1"));
}

// Two features; y depends on both; feature 0 has NaN in training only when `withNaN`.
function data(withNaN: boolean, seed: number) {
  const rng = new Rng(seed);
  const n = 3000;
  const a = Float64Array.from({ length: n }, (_, i) => (withNaN && i % 5 === 0 ? Number.NaN : rng.next()));
  const b = Float64Array.from({ length: n }, () => rng.next());
  const y = Int32Array.from({ length: n }, (_, i) =>
    Number.isNaN(a[i]!) || a[i]! + b[i]! > 1 + 0.2 * (rng.next() - 0.5) ? 1 : 0,
  );
  return { X: matrixFromColumns([a, b], ["a", "b"]), y };
}

describe("missing-value flags of exported boosting trees", () => {
  it("omits nodes_missing_value_tracks_true when training had no NaN, and NaN still matches ONNX", async () => {
    const { X, y } = data(false, 1);
    const gb = new HistGradientBoostingClassifier({ maxIter: 30, maxDepth: 4, maxLeafNodes: null }).fit(X, y);
    for (const t of gb.assertFitted().trees) expect(t.missingLeft.every((m) => m === 0)).toBe(true);
    // Held-out rows with NaN in both features: TypeScript and ONNX Runtime both send NaN right.
    const rng = new Rng(2);
    const m = 400;
    const Xt = matrixFromColumns(
      [
        Float64Array.from({ length: m }, (_, i) => (i % 3 === 0 ? Number.NaN : rng.next())),
        Float64Array.from({ length: m }, (_, i) => (i % 7 === 0 ? Number.NaN : rng.next())),
      ],
      ["a", "b"],
    );
    const r = await onnxParity(gb, matrixToTable(Xt));
    expect(r.problems).toEqual([]);
    expect(contains(r.bytes, MISSING_ATTR)).toBe(false);
  });

  it("flags only nodes on features that had NaN in training", async () => {
    const { X, y } = data(true, 3);
    const gb = new HistGradientBoostingClassifier({ maxIter: 30, maxDepth: 4, maxLeafNodes: null }).fit(X, y);
    let flaggedA = 0;
    for (const t of gb.assertFitted().trees) {
      for (let i = 0; i < t.nodeCount; i++) {
        if (t.feature[i] === 1) expect(t.missingLeft[i]).toBe(0);
        if (t.feature[i] === 0) flaggedA += t.missingLeft[i]!;
      }
    }
    expect(flaggedA).toBeGreaterThan(0);
    const r = await onnxParity(gb, matrixToTable(X));
    expect(r.problems).toEqual([]);
    expect(contains(r.bytes, MISSING_ATTR)).toBe(true);
  });
});

describe("missing-value flags of exported CART trees and forests", () => {
  it("flag no node when training had no NaN, flag only NaN features otherwise, and match ONNX on NaN rows", async () => {
    const clean = data(false, 4);
    const forest = new RandomForestClassifier({ nEstimators: 10, maxDepth: 5, nJobs: 1, seed: 4 }).fit(
      clean.X,
      clean.y,
    );
    for (const t of forest.assertFitted().trees) expect(t.missingLeft.every((m) => m === 0)).toBe(true);
    const rng = new Rng(5);
    const m = 300;
    const Xt = matrixFromColumns(
      [
        Float64Array.from({ length: m }, (_, i) => (i % 3 === 0 ? Number.NaN : rng.next())),
        Float64Array.from({ length: m }, () => rng.next()),
      ],
      ["a", "b"],
    );
    const r = await onnxParity(forest, matrixToTable(Xt));
    expect(r.problems).toEqual([]);
    expect(contains(r.bytes, MISSING_ATTR)).toBe(false);

    const dirty = data(true, 6);
    const tree = new DecisionTreeClassifier({ maxDepth: 5 }).fit(dirty.X, dirty.y);
    const t = tree.assertFitted().tree;
    for (let i = 0; i < t.nodeCount; i++) if (t.feature[i] === 1) expect(t.missingLeft[i]).toBe(0);
    const r2 = await onnxParity(tree, matrixToTable(dirty.X));
    expect(r2.problems).toEqual([]);
  });
});
