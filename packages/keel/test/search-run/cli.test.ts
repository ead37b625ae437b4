import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runKeelInProcess as keel } from "../support/in-process-cli.js";
import { makeProject, type Project, weatherFiles } from "./helpers.js";

describe("keel search (CLI)", () => {
  let p: Project;
  let files: { train: string; test: string };
  let store: string[];
  const savedRoot = process.env.KEEL_ARTIFACT_ROOT;

  beforeAll(async () => {
    p = await makeProject();
    files = await weatherFiles(p.dir);
    store = ["--tracking-uri", p.trackingUri];
    // The CLI resolves the artifact root from keel.yaml in the cwd; point it at the temp project.
    process.env.KEEL_ARTIFACT_ROOT = join(p.dir, ".keel", "artifacts");
  }, 60_000);
  afterAll(async () => {
    if (savedRoot === undefined) delete process.env.KEEL_ARTIFACT_ROOT;
    else process.env.KEEL_ARTIFACT_ROOT = savedRoot;
    await p.close();
  });

  it("--json prints the run, the best trial, the leaderboard, the model URI and the registered version", async () => {
    const r = await keel([
      "search",
      ...["--data", files.train, "--test", files.test, "--target", "weather"],
      ...["--models", "knn,nb", "--strategy", "random", "--trials", "3", "--cv", "2", "--seed", "1"],
      ...["--register", "weather-cli", "--alias", "challenger", "--json", ...store],
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      runId: string;
      status: string;
      best: { trial: number; model: string; params: Record<string, unknown>; score: number };
      leaderboard: { trial: number; mean: number }[];
      baseline: { mean: number };
      modelUri: string;
      registered: { name: string; version: string; alias: string };
    };
    expect(out.status).toBe("FINISHED");
    expect(out.leaderboard).toHaveLength(3);
    expect(out.best.score).toBe(out.leaderboard[0]!.mean);
    expect(out.best.score).toBeGreaterThan(out.baseline.mean);
    expect(["knn", "nb"]).toContain(out.best.model);
    expect(out.modelUri).toMatch(/^runs:\/[0-9a-f]+\/model$/);
    expect(out.registered).toEqual({ name: "weather-cli", version: "1", alias: "challenger" });
    const parent = await p.tracker.store.getRun(out.runId);
    expect(parent.data.tags.find((t) => t.key === "keel.command")?.value).toBe("search");
  }, 60_000);

  it("prints a leaderboard table with the baseline beside it, then the refit", async () => {
    const r = await keel([
      "search",
      ...["--data", files.train, "--target", "weather", "--models", "nb", "--trials", "2", "--cv", "2"],
      ...store,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/RANK\s+TRIAL\s+MODEL\s+PARAMS\s+CV ACCURACY\s+FIT S/);
    expect(r.stdout).toMatch(/^\s+1\s+\d\s+nb\s+varSmoothing=\S+\s+0\.\d{4} ± 0\.\d{4}/m);
    expect(r.stdout).toMatch(/^\s+-\s+-\s+baseline\s+dummy/m);
    expect(r.stdout).toMatch(/search run [0-9a-f]+/);
    expect(r.stdout).toMatch(/refit of trial \d: run [0-9a-f]+, cv_accuracy_mean 0\.\d+/);
    expect(r.stdout).toMatch(/model runs:\/[0-9a-f]+\/model/);
  }, 60_000);

  it("--help shows the flags and examples", async () => {
    const r = await keel(["search", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--time-budget <duration>/);
    expect(r.stdout).toMatch(/--strategy <name>.*grid, random, tpe, halving/);
    expect(r.stdout).toMatch(/Examples:\n\s+\$ keel search --data/);
  });

  it.each([
    [["--time-budget", "10x"], 2, /--time-budget '10x' is not a duration/],
    [["--strategy", "bayes"], 2, /--strategy 'bayes'/],
    [["--trials", "0"], 2, /--trials must be an integer >= 1/],
    [["--parallel", "0"], 2, /--parallel must be an integer >= 1/],
    [["--models", "gbdt,xgb"], 2, /Unknown model 'xgb'/],
  ])("bad flags %j exit %i", async (flags, code, message) => {
    const r = await keel(["search", "--data", files.train, "--target", "weather", ...flags, ...store]);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
  });

  it("--resume of an unknown run exits 4", async () => {
    const r = await keel(["search", "--resume", "0123456789abcdef", ...store]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/not found/);
  });
});
