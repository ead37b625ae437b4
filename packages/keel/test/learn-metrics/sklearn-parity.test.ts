import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ProbaMatrix } from "../../src/learn/core/index.js";
import {
  accuracy,
  averagePrecision,
  balancedAccuracy,
  bootstrapCI,
  brierScore,
  confusionMatrix,
  LOG_LOSS_EPS,
  logLoss,
  mae,
  mape,
  pick,
  precisionRecallF1,
  r2,
  rmse,
  rocAuc,
} from "../../src/learn/metrics/index.js";

// Values computed by reference/sklearn_metrics.py with scikit-learn 1.2.
const ref = JSON.parse(
  readFileSync(join(fileURLToPath(new URL(".", import.meta.url)), "reference/sklearn_metrics.json"), "utf8"),
);
const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-12);

describe("classification metrics equal scikit-learn's", () => {
  const b = ref.binary;
  const y = Int32Array.from(b.y as number[]);
  const pred = Int32Array.from(b.pred as number[]);
  const proba: ProbaMatrix = {
    nRows: y.length,
    nClasses: 2,
    data: Float64Array.from((b.p1 as number[]).flatMap((p) => [1 - p, p])),
  };

  it("binary", () => {
    close(accuracy(y, pred), b.accuracy);
    close(balancedAccuracy(y, pred, 2), b.balanced_accuracy);
    const prf = precisionRecallF1(y, pred, 2, "binary");
    close(prf.precision, b.precision);
    close(prf.recall, b.recall);
    close(prf.f1, b.f1);
    close(rocAuc(y, proba), b.roc_auc);
    close(averagePrecision(y, proba), b.average_precision);
    close(logLoss(y, proba), b.log_loss);
    close(brierScore(y, proba), b.brier);
    expect(confusionMatrix(y, pred, 2)).toEqual(b.confusion);
    expect(LOG_LOSS_EPS).toBe(2.220446049250313e-16);
  });

  it("multiclass with a class never predicted", () => {
    const m = ref.multiclass;
    const ym = Int32Array.from(m.y as number[]);
    const pm = Int32Array.from(m.pred as number[]);
    const pr: ProbaMatrix = {
      nRows: ym.length,
      nClasses: 4,
      data: Float64Array.from((m.proba as number[][]).flat()),
    };
    close(accuracy(ym, pm), m.accuracy);
    close(balancedAccuracy(ym, pm, 4), m.balanced_accuracy);
    for (const avg of ["macro", "micro", "weighted"] as const) {
      const s = precisionRecallF1(ym, pm, 4, avg);
      close(s.precision, m[avg].precision);
      close(s.recall, m[avg].recall);
      close(s.f1, m[avg].f1);
    }
    close(logLoss(ym, pr), m.log_loss);
    close(rocAuc(ym, pr), m.roc_auc_ovr_macro);
    close(averagePrecision(ym, pr), m.average_precision_ovr_macro);
    close(brierScore(ym, pr), m.brier_multiclass);
    expect(confusionMatrix(ym, pm, 4)).toEqual(m.confusion);
  });
});

describe("regression metrics equal scikit-learn's", () => {
  it("rmse, mae, r2, mape", () => {
    const r = ref.regression;
    const y = Float64Array.from(r.y as number[]);
    const p = Float64Array.from(r.pred as number[]);
    close(rmse(y, p), r.rmse);
    close(mae(y, p), r.mae);
    close(r2(y, p), r.r2);
    expect(Math.abs(mape(y, p) / r.mape - 1)).toBeLessThan(1e-12);
  });

  it("rejects mismatched and empty inputs with KeelErrors", () => {
    expect(() => rmse([1, 2], [1])).toThrow(/y_true has 2 values but y_pred has 1/);
    expect(() => accuracy([], [])).toThrow(/empty/);
    const one: ProbaMatrix = { nRows: 2, nClasses: 2, data: Float64Array.of(0.5, 0.5, 0.2, 0.8) };
    expect(() => rocAuc(Int32Array.of(1, 1), one)).toThrow(/single class/);
  });
});

describe("bootstrap confidence intervals", () => {
  it("are seeded, bracket the estimate and narrow with more data", () => {
    const b = ref.binary;
    const y = Int32Array.from(b.y as number[]);
    const pred = Int32Array.from(b.pred as number[]);
    const metric = (idx: Int32Array) => accuracy(pick(y, idx), pick(pred, idx));
    const ci = bootstrapCI(y.length, metric, { seed: 3, nResamples: 500 });
    expect(ci).toEqual(bootstrapCI(y.length, metric, { seed: 3, nResamples: 500 }));
    expect(ci.low).toBeLessThan(ci.estimate);
    expect(ci.high).toBeGreaterThan(ci.estimate);
    expect(ci.resamples).toBe(500);
    const big = Int32Array.from({ length: 6000 }, (_, i) => y[i % y.length]!);
    const bigPred = Int32Array.from({ length: 6000 }, (_, i) => pred[i % pred.length]!);
    const wide = bootstrapCI(big.length, (idx) => accuracy(pick(big, idx), pick(bigPred, idx)), {
      seed: 3,
      nResamples: 200,
    });
    expect(wide.high - wide.low).toBeLessThan((ci.high - ci.low) / 5);
  });
});
