import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowRange } from "../../src/learn/core/row-range.js";
import { workerModuleUrl } from "../../src/learn/ensemble/worker-module.js";
import { takeRows } from "../../src/learn/train/fit-evaluate.js";
import { prepareData } from "../../src/learn/train/prepare-data.js";
import { TrialEvaluator, type TrialSettings } from "../../src/search/run/trial-evaluator.js";
import { InProcessExecutor } from "../../src/search/run/trial-executor.js";
import { WorkerPoolExecutor } from "../../src/search/run/worker-pool.js";
import {
  closeShelvedWorkers,
  SHELF_IDLE_MS,
  shelvedWorkerCount,
  shelveWorker,
  takeWorker,
} from "../../src/search/run/worker-shelf.js";
import type { Proposal } from "../../src/search/strategies/strategy.js";
import { CLI } from "../cli/run-cli.js";
import { makeProject, type Project, weatherFiles } from "./helpers.js";

/** The pool runs the compiled worker module: the root `npm test` builds first. */
describe("search worker pool (one fold per message)", () => {
  let p: Project;
  let data: Awaited<ReturnType<typeof prepareData>>;
  let dataFile: string;
  const settings: TrialSettings = { seed: 3, cv: 4, metric: "accuracy" };
  const proposal = (index: number, extra: Record<string, number> = {}): Proposal => ({
    index,
    config: { model: "gbdt", "gbdt.maxIter": 15, "gbdt.learningRate": 0.2, ...extra },
    budget: 1,
  });
  const never = new AbortController().signal;

  beforeAll(async () => {
    p = await makeProject();
    dataFile = (await weatherFiles(p.dir)).train;
    data = await prepareData({ data: dataFile, target: "weather" });
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

  it("many folds in flight on one shared stop signal raise no listener-leak warning", async () => {
    const many: TrialSettings = { ...settings, cv: 12 };
    const evaluator = new TrialEvaluator(data, many);
    const pool = new WorkerPoolExecutor(2).load(data, many, evaluator.folds);
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on("warning", onWarning);
    const shared = new AbortController().signal; // as the search loop passes one signal to every trial
    try {
      const results = await Promise.all([pool.run(proposal(0), shared), pool.run(proposal(1), shared)]);
      expect(results.map((r) => r.status)).toEqual(["FINISHED", "FINISHED"]);
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
      expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
    } finally {
      process.off("warning", onWarning);
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

  it("a closed pool shelves its idle workers; the next search takes them warm, with its own data", async () => {
    await closeShelvedWorkers();
    const first = new WorkerPoolExecutor(2).load(data, settings, new TrialEvaluator(data, settings).folds);
    const a = await first.run(proposal(0), never);
    await first.close();
    expect(shelvedWorkerCount()).toBe(2);

    // Another search: other folds and fewer rows. The warm workers must score it, not the first one's data.
    const other: TrialSettings = { seed: 5, cv: 3, metric: "accuracy" };
    const smaller = { ...data, train: takeRows(data.train, rowRange(0, 600)) };
    const evaluator = new TrialEvaluator(smaller, other);
    const second = new WorkerPoolExecutor(2).load(smaller, other, evaluator.folds);
    expect(shelvedWorkerCount()).toBe(0);
    try {
      const b = await second.run(proposal(0), never);
      const x = await new InProcessExecutor(evaluator).run(proposal(0), never);
      if (a.status === "KILLED" || b.status === "KILLED" || x.status === "KILLED") throw new Error("KILLED");
      expect(b.metrics).toEqual(x.metrics);
      expect(b.metrics.cv_accuracy_mean).not.toBe(a.metrics.cv_accuracy_mean);
    } finally {
      await second.close();
      await closeShelvedWorkers();
    }
    expect(shelvedWorkerCount()).toBe(0);
  }, 60_000);

  it("a worker that died while idle is replaced: the trial that draws it still finishes", async () => {
    await closeShelvedWorkers();
    // Plant a worker on the shelf that exits as soon as it gets a search's data.
    const key = workerModuleUrl(
      new URL("../../src/search/run/worker-pool.ts", import.meta.url).href,
      "trial-worker.js",
    );
    const doomed = takeWorker(
      key,
      `require("node:worker_threads").parentPort.on("message", (m) => { if (m && m.init) process.exit(3); });`,
      null,
    );
    shelveWorker(key, doomed);
    const died = once(doomed, "exit");
    const evaluator = new TrialEvaluator(data, settings);
    const pool = new WorkerPoolExecutor(1).load(data, settings, evaluator.folds);
    try {
      expect(await died).toEqual([3]); // dead before any fold was asked of it
      const r = await pool.run(proposal(0), never);
      const x = await new InProcessExecutor(evaluator).run(proposal(0), never);
      if (r.status === "KILLED" || x.status === "KILLED") throw new Error("KILLED");
      expect(r.status, r.error).toBe("FINISHED");
      expect(r.metrics).toEqual(x.metrics);
    } finally {
      await pool.close();
      await closeShelvedWorkers();
    }
  }, 60_000);

  it("a shelved worker is terminated after its idle time", async () => {
    const source = `require("node:worker_threads").parentPort.on("message", () => {});`;
    const worker = takeWorker("test-idle", source, null);
    const exited = new Promise<number>((resolve) => worker.once("exit", resolve));
    shelveWorker("test-idle", worker, 100);
    expect(shelvedWorkerCount()).toBeGreaterThanOrEqual(1);
    await exited;
    expect(shelvedWorkerCount()).toBe(0);
  }, 10_000);

  it("shelved workers never hold the process open: a parallel CLI search exits when it is done", () => {
    const searchFlags = ["--trials", "2", "--cv", "2", "--parallel", "2", "--json"];
    const started = Date.now();
    const r = spawnSync(
      process.execPath,
      [CLI, "search", "--data", dataFile, "--target", "weather", "--models", "gbdt", ...searchFlags],
      {
        cwd: p.dir,
        encoding: "utf8",
        timeout: 60_000,
        env: { ...process.env, KEEL_TRACKING_URI: p.trackingUri, KEEL_ARTIFACT_ROOT: "" },
      },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).leaderboard).toHaveLength(2);
    // Well under the shelf's idle time: the process did not wait for its shelved workers.
    expect(Date.now() - started).toBeLessThan(SHELF_IDLE_MS / 4);
  }, 70_000);
});
