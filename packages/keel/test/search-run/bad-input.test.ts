import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isKeelError } from "../../src/errors.js";
import { runSearch } from "../../src/search/run/run-search.js";
import type { SearchOptions } from "../../src/search/run/search-options.js";
import { makeProject, type Project, weatherFiles } from "./helpers.js";

describe("runSearch rejects bad input with a clear KeelError and leaves the store untouched", () => {
  let p: Project;
  let files: { train: string; test: string };
  let plainRunId: string;

  /** Every run id in every experiment, deleted ones included. */
  const allRuns = async () => {
    const exps = (await p.tracker.store.searchExperiments({ viewType: "ALL" })).items;
    const page = await p.tracker.store.searchRuns({
      experimentIds: exps.map((e) => e.experimentId),
      runViewType: "ALL",
    });
    return page.items.map((r) => `${r.info.runId}:${r.info.status}`).sort();
  };

  beforeAll(async () => {
    p = await makeProject();
    files = await weatherFiles(p.dir);
    const run = await p.tracker.startRun({ runName: "not-a-search", tags: { "keel.command": "train" } });
    await run.end();
    plainRunId = run.id;
  }, 60_000);
  afterAll(async () => p.close());

  it.each<[string, Partial<SearchOptions>, string, RegExp]>([
    ["unknown model", { models: ["gbdt", "xgb"] }, "INVALID_PARAMETER_VALUE", /Unknown model 'xgb'/],
    [
      "the baseline as a model",
      { models: ["dummy"] },
      "INVALID_PARAMETER_VALUE",
      /'dummy' has no search space/,
    ],
    [
      "a classifier on a regression target",
      { target: "temp_max", models: ["logreg"] },
      "INVALID_PARAMETER_VALUE",
      /'logreg' does not do regression/,
    ],
    [
      "a metric of another task",
      { metric: "rmse" },
      "INVALID_PARAMETER_VALUE",
      /--metric 'rmse' is not a multiclass metric; use one of roc_auc, accuracy/,
    ],
    [
      "unknown strategy",
      { strategy: "bayes" },
      "INVALID_PARAMETER_VALUE",
      /--strategy 'bayes'.*grid, random, tpe, halving/,
    ],
    ["no trials", { trials: 0 }, "INVALID_PARAMETER_VALUE", /--trials must be an integer >= 1, got 0/],
    ["no workers", { parallel: 0 }, "INVALID_PARAMETER_VALUE", /--parallel must be an integer >= 1/],
    ["one fold", { cv: 1 }, "INVALID_PARAMETER_VALUE", /--cv must be an integer >= 2/],
    ["more folds than the rarest class has rows", { cv: 40 }, "INVALID_PARAMETER_VALUE", /rarest class/],
    ["a bad time budget", { timeBudgetMs: -5 }, "INVALID_PARAMETER_VALUE", /--time-budget/],
    [
      "an alias without a name",
      { alias: "challenger" },
      "INVALID_PARAMETER_VALUE",
      /--alias needs --register/,
    ],
    ["a missing target", { target: "nope" }, "INVALID_PARAMETER_VALUE", /--target 'nope' is not a column/],
    ["a missing space file", { space: "missing.yaml" }, "INVALID_PARAMETER_VALUE", /--space 'missing.yaml'/],
  ])("%s", async (_name, bad, code, message) => {
    const before = await allRuns();
    const error = await runSearch(
      { data: files.train, target: "weather", models: ["knn"], trials: 2, cv: 2, ...bad },
      { tracker: p.tracker, cwd: p.dir },
    ).catch((e: unknown) => e);
    expect(isKeelError(error), String(error)).toBe(true);
    expect((error as { code: string }).code).toBe(code);
    expect((error as Error).message).toMatch(message);
    expect(await allRuns()).toEqual(before);
  });

  it("a space file naming a param the model lacks fails with the file, the param and the valid names", async () => {
    const space = join(p.dir, "bad-space.yaml");
    writeFileSync(space, "knn:\n  depth: {int: [1, 3]}\n");
    const error = await runSearch(
      { data: files.train, target: "weather", models: ["knn"], space },
      { tracker: p.tracker, cwd: p.dir },
    ).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/bad-space\.yaml.*no param 'depth'.*nNeighbors/);
  });

  it.each<[string, () => SearchOptions, string, RegExp]>([
    [
      "a run that is not a search",
      () => ({ resume: plainRunId }),
      "INVALID_PARAMETER_VALUE",
      /is not a search run \(it is a 'train' run\)/,
    ],
    [
      "a run that does not exist",
      () => ({ resume: "0123456789abcdef" }),
      "RESOURCE_DOES_NOT_EXIST",
      /not found/,
    ],
    [
      "search options beside --resume",
      () => ({ resume: plainRunId, trials: 4 }),
      "INVALID_PARAMETER_VALUE",
      /drop --trials/,
    ],
  ])("--resume of %s", async (_name, options, code, message) => {
    const before = await allRuns();
    const error = await runSearch(options(), { tracker: p.tracker, cwd: p.dir }).catch((e: unknown) => e);
    expect((error as { code: string }).code).toBe(code);
    expect((error as Error).message).toMatch(message);
    expect(await allRuns()).toEqual(before);
  });
});
