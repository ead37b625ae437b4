import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareData } from "../../src/learn/train/prepare-data.js";
import { TrialEvaluator, type TrialSettings } from "../../src/search/run/trial-evaluator.js";
import { InProcessExecutor } from "../../src/search/run/trial-executor.js";
import { WorkerPoolExecutor } from "../../src/search/run/worker-pool.js";
import type { Proposal } from "../../src/search/strategies/strategy.js";
import { makeProject, type Project, weatherFiles } from "./helpers.js";

/** The pool runs the compiled worker module: the root `npm test` builds first. */
describe("search worker pool (one fold per message)", () => {
  let p: Project;
  let data: Awaited<ReturnType<typeof prepareData>>;
  const settings: TrialSettings = { seed: 3, cv: 4, metric: "accuracy" };
  const proposal = (index: number, extra: Record<string, number> = {}): Proposal => ({
    index,
    config: { model: "gbdt", "gbdt.maxIter": 15, "gbdt.learningRate": 0.2, ...extra },
    budget: 1,
  });
  const never = new AbortController().signal;

  beforeAll(async () => {
    p = await makeProject();
    const files = await weatherFiles(p.dir);
    data = await prepareData({ data: files.train, target: "weather" });
  }, 60_000);
  afterAll(async () => p.close());

  it("scores a trial's folds on two workers exactly as one thread does", async () => {
    const evaluator = new TrialEvaluator(data, settings);
    const inProcess = new InProcessExecutor(evaluator);
    const pool = new WorkerPoolExecutor(2).load(data, settings, evaluator.folds);
    try {
      const [a, b] = await Promise.all([
        pool.run(proposal(0), never),
        pool.run(proposal(1, { "gbdt.maxLeafNodes": 7 }), never),
      ]);
      const [x, y] = [
        await inProcess.run(proposal(0), never),
        await inProcess.run(proposal(1, { "gbdt.maxLeafNodes": 7 }), never),
      ];
      expect(a.status).toBe("FINISHED");
      expect(b.status).toBe("FINISHED");
      if (a.status === "KILLED" || x.status === "KILLED" || b.status === "KILLED" || y.status === "KILLED")
        throw new Error("unexpected KILLED");
      expect(a.metrics).toEqual(x.metrics);
      expect(b.metrics).toEqual(y.metrics);
      expect(a.metrics.cv_accuracy_mean).toBeGreaterThan(0.5);
      expect(a.fitTimeS).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it("a trial stopped while its folds wait reports KILLED, and the pool serves the next trial", async () => {
    const evaluator = new TrialEvaluator(data, settings);
    const pool = new WorkerPoolExecutor(2).load(data, settings, evaluator.folds);
    try {
      const stop = new AbortController();
      const running = pool.run(proposal(0), stop.signal);
      stop.abort();
      expect((await running).status).toBe("KILLED");
      const next = await pool.run(proposal(1), never);
      expect(next.status).toBe("FINISHED");
    } finally {
      await pool.close();
    }
  }, 60_000);

  it("a failing configuration fails its trial with the estimator's error", async () => {
    const evaluator = new TrialEvaluator(data, settings);
    const pool = new WorkerPoolExecutor(2).load(data, settings, evaluator.folds);
    try {
      const r = await pool.run(proposal(0, { "gbdt.maxBins": 300 }), never);
      expect(r.status).toBe("FAILED");
      expect(r.status === "FAILED" && r.error).toMatch(/maxBins/);
      expect((await pool.run(proposal(1), never)).status).toBe("FINISHED");
    } finally {
      await pool.close();
    }
  }, 60_000);

  it("refuses trials before the data and a second load", async () => {
    const pool = new WorkerPoolExecutor(1);
    try {
      await expect(pool.run(proposal(0), never)).rejects.toThrow(/before their data/);
      const evaluator = new TrialEvaluator(data, settings);
      pool.load(data, settings, evaluator.folds);
      expect(() => pool.load(data, settings, evaluator.folds)).toThrow(/already have their data/);
      expect((await pool.run(proposal(0), never)).status).toBe("FINISHED");
    } finally {
      await pool.close();
    }
  }, 60_000);

  it("workers that cannot start make the trial reject with their reason", async () => {
    // More folds than rows: the evaluator in each worker refuses to start.
    const tiny = { ...data, train: { X: { rowCount: 3, columns: [] }, y: data.train.y.slice(0, 3) } };
    const pool = new WorkerPoolExecutor(2).load(tiny, { ...settings, cv: 10 }, 10);
    try {
      await expect(pool.run(proposal(0), never)).rejects.toThrow(/search worker could not start/);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
