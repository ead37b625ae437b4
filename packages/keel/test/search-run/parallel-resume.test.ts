import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSearch, type SearchResult } from "../../src/search/run/run-search.js";
import type { SearchOptions } from "../../src/search/run/search-options.js";
import { childRuns, comparable, makeProject, type Project, runView, weatherFiles } from "./helpers.js";

/** Parallel runs need the compiled worker module: the root `npm test` builds first. */
describe("parallel, interrupted and resumed searches give the sequential leaderboard", () => {
  let p: Project;
  let options: SearchOptions;
  let sequential: SearchResult;

  beforeAll(async () => {
    p = await makeProject();
    const files = await weatherFiles(p.dir);
    options = {
      data: files.train,
      target: "weather",
      models: ["gbdt", "knn", "nb"],
      strategy: "tpe",
      trials: 8,
      cv: 2,
      seed: 5,
      refit: false,
    };
    sequential = await runSearch(options, { tracker: p.tracker, cwd: p.dir });
  }, 60_000);
  afterAll(async () => p.close());

  it("2 worker threads: same trials, same scores", async () => {
    const parallel = await runSearch({ ...options, parallel: 2 }, { tracker: p.tracker, cwd: p.dir });
    expect(parallel.status).toBe("FINISHED");
    expect(sequential.leaderboard).toHaveLength(8);
    expect(comparable(parallel.leaderboard)).toEqual(comparable(sequential.leaderboard));
    expect(runView(await p.tracker.store.getRun(parallel.runId)).param("parallel")).toBe("2");
  }, 60_000);

  it("stopped after 3 trials (AbortSignal), then resumed: the same leaderboard, in the same run", async () => {
    const stop = new AbortController();
    const stopped = await runSearch(options, {
      tracker: p.tracker,
      cwd: p.dir,
      signal: stop.signal,
      onProgress: (progress) => {
        if (progress.done >= 3) stop.abort();
      },
    });
    expect(stopped.status).toBe("KILLED");
    expect(stopped.ended).toBe("aborted");
    expect(stopped.leaderboard).toHaveLength(3);
    expect((await p.tracker.store.getRun(stopped.runId)).info.status).toBe("KILLED");

    const resumed = await runSearch(
      { resume: stopped.runId, refit: false },
      { tracker: p.tracker, cwd: p.dir },
    );
    expect(resumed.runId).toBe(stopped.runId);
    expect(resumed.status).toBe("FINISHED");
    expect(comparable(resumed.leaderboard)).toEqual(comparable(sequential.leaderboard));
    // The first three trials were replayed from the store, not run again.
    const children = await childRuns(p.tracker, stopped.runId);
    expect(children).toHaveLength(8);
    const first = stopped.leaderboard.map((row) => row.runId).sort();
    const kept = resumed.leaderboard.filter((row) => first.includes(row.runId));
    expect(kept).toHaveLength(3);
    expect((await p.tracker.store.getRun(stopped.runId)).info.status).toBe("FINISHED");
  }, 60_000);

  it("stopping a parallel search kills the running trials; resuming reruns them", async () => {
    const stop = new AbortController();
    const stopped = await runSearch(
      { ...options, parallel: 2 },
      {
        tracker: p.tracker,
        cwd: p.dir,
        signal: stop.signal,
        onProgress: (progress) => {
          if (progress.done >= 2 && progress.running > 0) stop.abort();
        },
      },
    );
    expect(stopped.status).toBe("KILLED");
    const killed = (await childRuns(p.tracker, stopped.runId)).filter((c) => c.info.status === "KILLED");
    expect(killed.length).toBeGreaterThan(0);
    for (const run of killed) expect(runView(run).tag("keel.trial.status")).toBe("KILLED");

    const resumed = await runSearch(
      { resume: stopped.runId, parallel: 2, refit: false },
      { tracker: p.tracker, cwd: p.dir },
    );
    expect(comparable(resumed.leaderboard)).toEqual(comparable(sequential.leaderboard));
    const finished = (await childRuns(p.tracker, stopped.runId)).filter((c) => c.info.status === "FINISHED");
    expect(finished).toHaveLength(8);
  }, 60_000);

  it("--time-budget stops launching trials and finishes with what it has", async () => {
    const r = await runSearch({ ...options, timeBudgetMs: 1 }, { tracker: p.tracker, cwd: p.dir });
    expect(r.status).toBe("FINISHED");
    expect(r.ended).toBe("time-budget");
    expect(r.leaderboard.length).toBeGreaterThanOrEqual(1);
    expect(r.leaderboard.length).toBeLessThan(8);
    const trial0 = (rows: SearchResult["leaderboard"]) => rows.find((row) => row.trial === 0)!;
    expect(trial0(r.leaderboard).mean).toBe(trial0(sequential.leaderboard).mean);
  }, 60_000);
});
