import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSearch } from "../../src/search/run/run-search.js";
import { combinedSpace } from "../../src/search/space/combined-space.js";
import { artifactText, childRuns, makeProject, type Project, runView, weatherFiles } from "./helpers.js";

describe("runSearch on seattle-weather: tracked trials, failures, halving, regression", () => {
  let p: Project;
  let files: { train: string; test: string };

  beforeAll(async () => {
    p = await makeProject();
    files = await weatherFiles(p.dir);
  }, 60_000);
  afterAll(async () => p.close());

  it("records one search run with a child run per trial, the leaderboard, and a registered refit", async () => {
    const r = await runSearch(
      {
        data: files.train,
        test: files.test,
        target: "weather",
        models: ["gbdt", "logreg", "knn"],
        strategy: "random",
        trials: 5,
        cv: 2,
        seed: 3,
        experiment: "weather-search",
        register: "weather",
        alias: "challenger",
      },
      { tracker: p.tracker, cwd: p.dir },
    );
    expect(r.status).toBe("FINISHED");
    expect(r.ended).toBe("complete");
    expect(r.task).toBe("multiclass");
    expect(r.plan.metric).toBe("accuracy");
    expect(r.leaderboard).toHaveLength(5);
    // Best first; every real model beats the class-prior baseline on this task.
    const means = r.leaderboard.map((row) => row.mean!);
    expect(means).toEqual([...means].sort((a, b) => b - a));
    expect(r.best!.mean!).toBeGreaterThan(r.baseline.mean + 0.2);
    expect(r.baseline.mean).toBeGreaterThan(0.3);

    const parent = await p.tracker.store.getRun(r.runId);
    const pv = runView(parent);
    expect(parent.info.status).toBe("FINISHED");
    expect(pv.tag("keel.command")).toBe("search");
    expect(pv.param("strategy")).toBe("random");
    expect(pv.param("models")).toBe("gbdt,logreg,knn");
    expect(pv.param("metric")).toBe("accuracy");
    expect(pv.param("cv")).toBe("2");
    expect(pv.param("trials")).toBe("5");
    expect(pv.param("seed")).toBe("3");
    expect(pv.metric("n_trials")).toBe(5);
    expect(pv.metric("n_failed")).toBe(0);
    expect(pv.metric("best_cv_accuracy_mean")).toBe(r.best!.mean);
    expect(pv.metric("baseline_cv_accuracy_mean")).toBe(r.baseline.mean);
    expect(pv.tag("keel.search.best_trial")).toBe(String(r.best!.trial));

    const space = JSON.parse(await artifactText(p.tracker, r.runId, "search/space.json"));
    expect(space).toEqual(JSON.parse(JSON.stringify(combinedSpace(["gbdt", "logreg", "knn"]))));
    const board = JSON.parse(await artifactText(p.tracker, r.runId, "search/leaderboard.json"));
    expect(board).toEqual(JSON.parse(JSON.stringify(r.leaderboard)));
    const csv = (await artifactText(p.tracker, r.runId, "search/leaderboard.csv")).trim().split("\n");
    expect(csv[0]).toBe(
      "rank,trial,model,params,budget,rung,status,accuracy_mean,accuracy_std,fit_time_s,run_id,error",
    );
    expect(csv).toHaveLength(6);

    const children = await childRuns(p.tracker, r.runId);
    const trials = children.filter((c) => runView(c).tag("keel.trial.index") !== undefined);
    expect(trials.map((c) => Number(runView(c).tag("keel.trial.index"))).sort()).toEqual([0, 1, 2, 3, 4]);
    for (const child of trials) {
      const cv = runView(child);
      const row = r.leaderboard.find((x) => x.runId === child.info.runId)!;
      expect(child.info.status).toBe("FINISHED");
      expect(child.info.parentRunId).toBe(r.runId);
      expect(cv.tag("keel.trial.status")).toBe("FINISHED");
      expect(cv.param("model")).toBe(row.model);
      for (const [k, v] of Object.entries(row.params)) expect(cv.param(k)).toBe(String(v));
      expect(cv.metric("cv_accuracy_mean")).toBe(row.mean);
      expect(cv.metric("cv_accuracy_std")).toBe(row.std);
      expect(cv.metric("fit_time_s")).toBeGreaterThan(0);
      expect(cv.metric("budget")).toBe(1);
    }

    // The refit: a nested training run of the best config on all the data, tested on 2015.
    const refit = r.refit!;
    const refitRun = children.find((c) => c.info.runId === refit.runId)!;
    expect(refitRun.info.parentRunId).toBe(r.runId);
    expect(runView(refitRun).tag("keel.command")).toBe("train");
    expect(runView(refitRun).param("model")).toBe(r.best!.model);
    expect(refit.evaluation).toBe("test");
    expect(refit.metrics.test_accuracy).toBeGreaterThan(0.6);
    expect(refit.modelUri).toBe(`runs:/${refit.runId}/model`);
    expect(refit.registered).toMatchObject({ name: "weather", version: "1", alias: "challenger" });
    const mv = await p.tracker.store.getModelVersionByAlias("weather", "challenger");
    expect(mv.version).toBe("1");
    expect(mv.runId).toBe(refit.runId);
  }, 60_000);

  // parallel 2: each fold runs on either worker; a failing fold fails its trial alike.
  it.each([1, 2])(
    "records a trial whose estimator throws as FAILED and carries on (parallel %i)",
    async (parallel) => {
      // maxBins 300 passes the space's checks but not the estimator's (2..255): those trials fail.
      const space = join(p.dir, "space.yaml");
      writeFileSync(space, "gbdt:\n  maxBins: {choice: [32, 300]}\n  maxIter: 20\n");
      const r = await runSearch(
        {
          data: files.train,
          target: "weather",
          models: ["gbdt"],
          strategy: "random",
          trials: 6,
          cv: 2,
          space,
          refit: false,
          parallel,
        },
        { tracker: p.tracker, cwd: p.dir },
      );
      expect(r.status).toBe("FINISHED");
      const failed = r.leaderboard.filter((row) => row.status === "FAILED");
      const finished = r.leaderboard.filter((row) => row.status === "FINISHED");
      expect(failed.length).toBeGreaterThan(0);
      expect(finished.length).toBeGreaterThan(0);
      expect(failed.every((row) => row.params.maxBins === 300 && row.mean === null)).toBe(true);
      expect(finished.every((row) => row.params.maxBins === 32)).toBe(true);
      // Failed trials rank last.
      expect(r.leaderboard.slice(-failed.length).every((row) => row.status === "FAILED")).toBe(true);

      const parent = runView(await p.tracker.store.getRun(r.runId));
      expect(parent.metric("n_failed")).toBe(failed.length);
      for (const row of failed) {
        const child = await p.tracker.store.getRun(row.runId);
        expect(child.info.status).toBe("FAILED");
        expect(runView(child).tag("keel.trial.status")).toBe("FAILED");
        expect(runView(child).tag("keel.trial.error")).toMatch(/maxBins/);
        expect(row.error).toMatch(/maxBins/);
      }
    },
    60_000,
  );

  it("halving gives low budgets to early rungs: fewer boosting rounds for gbdt, fewer rows for knn", async () => {
    const r = await runSearch(
      {
        data: files.train,
        target: "weather",
        models: ["gbdt", "knn"],
        strategy: "halving",
        trials: 6,
        cv: 2,
        refit: false,
      },
      { tracker: p.tracker, cwd: p.dir },
    );
    expect(r.status).toBe("FINISHED");
    const budgets = [...new Set(r.leaderboard.map((row) => row.budget))].sort((a, b) => a - b);
    expect(budgets.length).toBeGreaterThan(1);
    expect(budgets.at(-1)).toBe(1);
    expect(budgets[0]).toBeLessThan(1);
    // Larger budgets rank first; rung tags are recorded.
    expect(r.leaderboard[0]!.budget).toBe(1);
    const first = r.leaderboard.find((row) => row.budget === budgets[0])!;
    const child = runView(await p.tracker.store.getRun(first.runId));
    expect(child.tag("keel.trial.rung")).toBe(String(first.rung));
    expect(child.metric("budget")).toBe(budgets[0]);
  }, 60_000);

  it("minimises loss metrics: a regression search on rmse ranks the lowest rmse first", async () => {
    const r = await runSearch(
      {
        data: files.train,
        target: "temp_max",
        models: ["ridge", "knn"],
        strategy: "tpe",
        trials: 4,
        cv: 2,
        refit: false,
      },
      { tracker: p.tracker, cwd: p.dir },
    );
    expect(r.task).toBe("regression");
    expect(r.plan.metric).toBe("rmse");
    const rmse = r.leaderboard.map((row) => row.mean!);
    expect(rmse).toEqual([...rmse].sort((a, b) => a - b));
    expect(r.best!.mean!).toBeLessThan(r.baseline.mean);
  }, 60_000);
});
