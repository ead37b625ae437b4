import { join } from "node:path";
import type { ClassLabel, Prediction } from "@keel/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataSession } from "../../src/data/engine/duckdb-session.js";
import { rocAuc } from "../../src/learn/metrics/probabilistic.js";
import { checkMetrics } from "../../src/monitor/watch/check-result.js";
import { monitorReportHtml } from "../../src/monitor/watch/monitor-report-html.js";
import { windowPerformance } from "../../src/monitor/watch/window-performance.js";
import { recordFeedback } from "../../src/serve/prediction-log/feedback-log.js";
import { PredictionLogger } from "../../src/serve/prediction-log/prediction-logger.js";
import { makeTempDir } from "../support/temp-dir.js";

// A small seeded generator (mulberry32), so the log and the labels are the same on every run.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOUR = 3_600_000;
const NOW = Date.UTC(2024, 4, 2, 12);
const ROWS_PER_REQUEST = 8;

// A binary prediction of `p1` (the second class's probability) per row, as the runtime returns it.
function binaryPrediction(classes: readonly ClassLabel[], p1: readonly number[]): Prediction {
  const probabilities = new Float32Array(p1.flatMap((p) => [1 - p, p]));
  const classIndex = Int32Array.from(p1, (_, i) =>
    (probabilities[2 * i + 1] as number) > (probabilities[2 * i] as number) ? 1 : 0,
  );
  return {
    task: "binary",
    nRows: p1.length,
    labels: Array.from(classIndex, (k) => classes[k] as ClassLabel),
    classIndex,
    probabilities,
    classes,
  };
}

/** One labelled pair as the log holds it: the truth's class index and the float32 probabilities. */
interface Pair {
  y: number;
  p0: number;
  p1: number;
}

describe("rolling ROC-AUC per model version over the window", () => {
  const tmp = makeTempDir("watch-auc");
  let session: DataSession;
  let dir: string;
  // What the window should score for version 1: its labelled, non-shadow, in-window rows.
  const expected: Pair[] = [];

  beforeAll(async () => {
    session = await DataSession.open();
    dir = join(tmp.dir, "log");
    const logger = new PredictionLogger({ dir, flushIntervalMs: 60_000 });
    const r = rng(7);
    const input = (n: number) => ({ nRows: n, columns: { x: Array.from({ length: n }, (_, i) => i) } });
    const log = (requestId: string, version: string, prediction: Prediction, at: number, shadow = false) =>
      logger.log({
        requestId,
        receivedAt: at,
        endpoint: "churn",
        model: "churn",
        version,
        input: input(prediction.nRows),
        prediction,
        latencyMs: 1,
        shadow,
      });
    const feedback: [string, string | number, number, number][] = [];
    for (let q = 0; q < 40; q++) {
      const at = NOW - HOUR + q * 60_000;
      // Scores on a 0.05 grid so ties occur; the truth is "yes" more often when p1 is high.
      const p1 = Array.from({ length: ROWS_PER_REQUEST }, () => Math.round(r() * 20) / 20);
      const prediction = binaryPrediction(["no", "yes"], p1);
      log(`v1-${q}`, "1", prediction, at);
      // A shadow copy with reversed scores on the same request: never scored.
      log(
        `v1-${q}`,
        "1",
        binaryPrediction(
          ["no", "yes"],
          p1.map((p) => 1 - p),
        ),
        at,
        true,
      );
      const probabilities = (prediction as { probabilities: Float32Array }).probabilities;
      for (let row = 0; row < ROWS_PER_REQUEST; row++) {
        if (r() < 0.2) continue; // not labelled yet
        const truth = r() < 0.2 + 0.6 * (p1[row] as number) ? "yes" : "no";
        if (r() < 0.1) {
          // A first label later corrected: only the latest one counts.
          feedback.push([`v1-${q}`, truth === "yes" ? "no" : "yes", row, at + 1000]);
        }
        feedback.push([`v1-${q}`, truth, row, at + 5000]);
        expected.push({
          y: truth === "yes" ? 1 : 0,
          p0: probabilities[2 * row] as number,
          p1: probabilities[2 * row + 1] as number,
        });
      }
      // Version 2: numeric classes, every label the same class, so its AUC is undefined.
      const v2 = binaryPrediction([0, 1], [0.2, 0.7, 0.9]);
      log(`v2-${q}`, "2", v2, at);
      for (let row = 0; row < 3; row++) feedback.push([`v2-${q}`, 1, row, at + 2000]);
      // Version 3: a regressor.
      log(`v3-${q}`, "3", { task: "regression", nRows: 1, values: Float32Array.of(q) }, at);
      feedback.push([`v3-${q}`, q + 1, 0, at + 2000]);
    }
    // Predictions before the window, labelled: left out.
    const old = binaryPrediction(["no", "yes"], [0.9, 0.1]);
    log("old", "1", old, NOW - 3 * HOUR);
    feedback.push(["old", "yes", 0, NOW - 3 * HOUR], ["old", "no", 1, NOW - 3 * HOUR]);
    // Half the log compacted to Parquet, the rest still JSON lines.
    await logger.rotate();
    await logger.close();
    for (const [id, label, row, time] of feedback) await recordFeedback(dir, id, label, { row, time });
  });

  afterAll(() => {
    session?.close();
    tmp.cleanup();
  });

  it("equals learn/metrics rocAuc on the same (label, probability) pairs", async () => {
    const perf = await windowPerformance(session, dir, { since: NOW - 2 * HOUR, until: NOW + 1 });
    const v1 = perf.find((p) => p.version === "1")!;
    expect(v1.labelled).toBe(expected.length);
    const y = Int32Array.from(expected, (e) => e.y);
    expect(new Set(y).size).toBe(2);
    const want = rocAuc(y, {
      nRows: expected.length,
      nClasses: 2,
      data: Float64Array.from(expected.flatMap((e) => [e.p0, e.p1])),
    });
    expect(v1.auc).not.toBeNull();
    expect(v1.auc!).toBeCloseTo(want, 12);
    // A real signal: the scores rank the positives above the negatives more often than not.
    expect(want).toBeGreaterThan(0.6);
    expect(want).toBeLessThan(1);
  });

  it("is null for a single labelled class and for regressors; metrics hold auc.<version>", async () => {
    const perf = await windowPerformance(session, dir, { since: NOW - 2 * HOUR, until: NOW + 1 });
    const byVersion = Object.fromEntries(perf.map((p) => [p.version, p]));
    expect(byVersion["2"]).toMatchObject({ labelled: 120, auc: null });
    expect(byVersion["2"]!.accuracy).toBeCloseTo(2 / 3, 12);
    expect(byVersion["3"]).toMatchObject({ auc: null, mae: 1 });
    const metrics = checkMetrics(null, perf, [], "no_data");
    expect(metrics["auc.1"]).toBe(byVersion["1"]!.auc);
    expect(Object.keys(metrics).filter((k) => k.startsWith("auc."))).toEqual(["auc.1"]);
    expect(metrics["accuracy.1"]).toBe(byVersion["1"]!.accuracy);
  });

  it("follows the window: none in an empty one, only the old request in an early one", async () => {
    const perf = await windowPerformance(session, dir, { since: NOW + HOUR, until: NOW + 2 * HOUR });
    expect(perf).toEqual([]);
    const early = await windowPerformance(session, dir, { since: NOW - 4 * HOUR, until: NOW - 2 * HOUR });
    // One old request: "yes" on the row scored 0.9, "no" on the one scored 0.1 -> accuracy 1, AUC 1.
    expect(early).toEqual([{ version: "1", predictions: 2, labelled: 2, accuracy: 1, auc: 1, mae: null }]);
  });

  it("is drawn per version in the report page beside accuracy", () => {
    const check = (time: number, auc: number) => ({
      runId: `run-${time}`,
      time,
      status: "FINISHED",
      verdict: "no_drift",
      episode: null,
      metrics: { "accuracy.1": 0.8, "auc.1": auc, n_labelled: 10 },
    });
    const html = monitorReportHtml({
      endpoint: "churn",
      experiment: "monitor-churn",
      checks: [check(NOW, 0.71), check(NOW + HOUR, 0.64)],
      episodes: [],
    });
    expect(html).toContain("ROC-AUC per version");
    expect(html).toContain("auc v1");
  });
});
