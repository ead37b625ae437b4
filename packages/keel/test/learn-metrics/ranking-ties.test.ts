import { describe, expect, it } from "vitest";
import { Rng } from "../../src/learn/core/random.js";
import { averagePrecisionBinary, rocAucBinary } from "../../src/learn/metrics/probabilistic.js";

// Definitions computed the slow way: every (positive, negative) pair; every distinct threshold.
function pairwiseAuc(y: Int32Array, s: Float64Array): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < y.length; j++) {
      if (y[j] === 1) continue;
      pairs++;
      wins += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

function thresholdAp(y: Int32Array, s: Float64Array): number {
  const thresholds = [...new Set(Array.from(s, (v) => (v === 0 ? 0 : v)))].sort((a, b) => b - a);
  const nPos = y.reduce((a, v) => a + (v === 1 ? 1 : 0), 0);
  let prevRecall = 0;
  let ap = 0;
  for (const t of thresholds) {
    let tp = 0;
    let fp = 0;
    for (let i = 0; i < y.length; i++) if (s[i]! >= t) y[i] === 1 ? tp++ : fp++;
    ap += (tp / nPos - prevRecall) * (tp / (tp + fp));
    prevRecall = tp / nPos;
  }
  return ap;
}

describe("ROC-AUC and average precision with tied scores", () => {
  it("equal the pairwise and per-threshold definitions", () => {
    const rng = new Rng(12);
    for (const n of [2, 7, 300, 1000]) {
      const y = Int32Array.from({ length: n }, (_, i) => (i < 2 ? i : rng.int(2)));
      // Scores on a 0.1 grid (many ties), with -0 and 0 both present.
      const s = Float64Array.from({ length: n }, (_, i) => (i === 3 ? -0 : Math.round(rng.next() * 10) / 10));
      expect(Math.abs(rocAucBinary(y, s) - pairwiseAuc(y, s))).toBeLessThan(1e-12);
      expect(Math.abs(averagePrecisionBinary(y, s) - thresholdAp(y, s))).toBeLessThan(1e-12);
    }
  });

  it("score a perfect, an inverted and a constant ranking", () => {
    const y = Int32Array.of(0, 0, 1, 1);
    expect(rocAucBinary(y, Float64Array.of(0.1, 0.2, 0.8, 0.9))).toBe(1);
    expect(rocAucBinary(y, Float64Array.of(0.9, 0.8, 0.2, 0.1))).toBe(0);
    expect(rocAucBinary(y, Float64Array.of(0.5, 0.5, 0.5, 0.5))).toBe(0.5);
    expect(averagePrecisionBinary(y, Float64Array.of(0.1, 0.2, 0.8, 0.9))).toBe(1);
    expect(averagePrecisionBinary(y, Float64Array.of(0.5, 0.5, 0.5, 0.5))).toBe(0.5);
  });
});
