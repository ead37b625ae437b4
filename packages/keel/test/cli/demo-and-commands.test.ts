import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandCatalog } from "../../src/cli/pipeline.js";
import { buildProgram } from "../../src/cli/program.js";
import {
  DEMO_EXPERIMENT,
  DEMO_MODEL,
  DEMO_REMOTE,
  type DemoSummary,
  LEARNED_MODEL,
  runDemo,
} from "../../src/demo/run-demo.js";
import type { AliasEvent, Experiment, ModelVersion, Run } from "../../src/store/entities.js";
import { openMetadataStore } from "../../src/store/open-metadata-store.js";
import { makeTempDir } from "../support/temp-dir.js";
import { keel, keelJson } from "./run-cli.js";

describe("the demo, then every read command on its store", () => {
  const t = makeTempDir("keel-demo");
  const dir = join(t.dir, "demo");
  let summary: DemoSummary;

  beforeAll(async () => {
    summary = await runDemo({ dir, log: () => {}, catalog: commandCatalog(buildProgram()) });
  });
  afterAll(() => t.cleanup());

  it("tracks 2 baselines, a grid parent and 16 nested trials on real data", () => {
    const runs = keelJson<{ runs: Run[] }>(dir, ["runs", "list", "-e", DEMO_EXPERIMENT, "--max", "100"]).runs;
    expect(runs).toHaveLength(19);
    const grid = runs.find((r) => r.info.runName === "rain-threshold-grid")!;
    const trials = runs.filter((r) => r.info.parentRunId === grid.info.runId);
    expect(trials).toHaveLength(16);
    expect(grid.inputs.datasetInputs[0]!.dataset.name).toBe("seattle-weather");
    expect(grid.inputs.datasetInputs[0]!.dataset.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(grid.inputs.datasetInputs[0]!.dataset.version).toBe(1);
    // The grid parent keeps the best score so far as a metric history, one step per trial.
    const best = grid.data.metrics.find((m) => m.key === "best_valid_accuracy")!;
    expect(best.step).toBe(15);
    expect(best.value).toBe(
      Math.max(...trials.map((r) => r.data.metrics.find((m) => m.key === "valid_accuracy")!.value)),
    );
  });

  it("searches models with TPE on worker threads and lets the CI gate decide on the champion", async () => {
    const { searched } = summary;
    expect(searched.trials).toBe(12);
    const store = await openMetadataStore(summary.trackingUri);
    try {
      const children = await store.searchRuns({
        experimentIds: [(await store.getRun(searched.searchRunId)).info.experimentId],
        filter: `tags.mlflow.parentRunId = '${searched.searchRunId}'`,
        maxResults: 100,
      });
      // 12 trials and the refit of the winner.
      expect(children.items).toHaveLength(13);
      const gate = await store.getRun(searched.gateRunId);
      const verdict = gate.data.tags.find((t) => t.key === "keel.gate.verdict")!.value;
      expect(verdict).toBe(searched.passed ? "pass" : "fail");
      expect(searched.checks.map((c) => c.reference)).toEqual(["baseline", "champion"]);
      const champion = await store.getModelVersionByAlias(LEARNED_MODEL, "champion");
      expect(champion.version === searched.version).toBe(searched.passed);
    } finally {
      await store.close();
    }
  });

  it("runs the pipeline from keel.yaml, then skips every stage on the second run", () => {
    const { first, second } = summary.pipelined!;
    expect(first.stages.map((s) => [s.name, s.result])).toEqual([
      ["split", "ran"],
      ["baseline", "ran"],
      ["train", "ran"],
    ]);
    expect(second.stages.map((s) => s.result)).toEqual(["skipped", "skipped", "skipped"]);
    // Pushed to the folder remote: the versioned dataset(s) and the cached pipeline outputs.
    const { pushed } = summary.pipelined!;
    expect(pushed.outputs).toBe(3); // data/pipeline and the two metrics files
    expect(pushed.pointers).toBeGreaterThanOrEqual(1);
    const onRemote = readdirSync(join(dir, DEMO_REMOTE, "sha256"), { recursive: true, withFileTypes: true });
    expect(onRemote.filter((e) => e.isFile())).toHaveLength(pushed.objects);
    expect(readFileSync(join(dir, "keel.lock"), "utf8")).toMatch(/train\.max_iter: 100/);
    const status = keelJson<{ stage: string; action: string }[]>(dir, ["status"]);
    expect(status.map((s) => [s.stage, s.action])).toEqual([
      ["split", "skip"],
      ["baseline", "skip"],
      ["train", "skip"],
    ]);
  });

  it("serves the flights model behind an endpoint, replays April-June with feedback, and finds the drift", () => {
    const f = summary.flights;
    expect(f.answered).toBe(f.requests);
    expect(f.holdoutRocAuc).toBeGreaterThan(0.55);
    expect(f.servedAccuracy).toBeGreaterThan(0.7);
    // Months 4-6 against months 1-3: month drifts by construction; the verdict comes from the real test.
    expect(f.driftedFeatures).toContain("month");
    expect(f.datasetDrift).toBe(f.driftShare >= 0.5);
    // The watch check is a tracked run; a drifting verdict opened an episode and ran the retraining once.
    expect(f.retrained).toBe(f.verdict === "drift");
    const report = keelJson<{ checks: unknown[]; episodes: unknown[] }>(dir, [
      "monitor",
      "report",
      "flights",
    ]);
    expect(report.checks).toHaveLength(1);
    expect(readFileSync(f.driftReport, "utf8")).toMatch(/<svg/);
    const status = keelJson<{
      versions: { live?: { total: { requests: number } }; feedback?: { labelled: number } }[];
    }>(dir, ["endpoint", "status", "flights", "--json"]);
    expect(status.versions[0]!.live!.total.requests).toBe(f.requests);
    expect(status.versions[0]!.feedback!.labelled).toBe(f.requests);
  });

  it("converts, profiles, validates and versions the data before training on it", () => {
    const [csv, parquet] = summary.formats;
    expect(csv!.format).toBe("csv");
    expect(parquet!.format).toBe("parquet");
    expect(parquet!.bytes).toBeLessThan(csv!.bytes);
    const html = readFileSync(summary.profileReport, "utf8");
    expect(html).toMatch(/<svg/);
    expect(html).not.toMatch(/(src|href)=["']https?:/);
    expect(summary.expectations.total).toBeGreaterThan(10);
    expect(summary.expectations.passed).toBe(summary.expectations.total);
    expect(summary.datasetRef).toBe("seattle-weather@1");
    // 19 runs of the demo itself, and the pipeline's split and baseline stage runs, whose dep it is.
    expect(summary.usage).toEqual({ runs: 21, modelVersions: 3 });
    const status = keel(dir, ["data", "status", "--json"]);
    expect(status.code, status.stderr).toBe(0);
    const validate = keel(dir, [
      "data",
      "validate",
      "data/seattle-weather.parquet",
      "--expectations",
      "expectations.yaml",
    ]);
    expect(validate.code, validate.stdout).toBe(0);
  });

  it("trains learners with CV, promotes the best to champion, and evaluates it once on the test year", () => {
    const { candidates, champion, testAccuracy } = summary.learned;
    expect(candidates.map((c) => c.model)).toEqual(["logreg", "gbdt"]);
    const best = candidates.reduce((a, b) => (b.cvF1 > a.cvF1 ? b : a));
    expect(champion).toBe(best.model);
    const shown = keelJson<{ modelVersion: ModelVersion; datasets: { dataset: { name: string } }[] }>(dir, [
      "models",
      "show",
      "models:/seattle-weather@champion",
    ]);
    expect(shown.modelVersion.runId).toBe(best.runId);
    expect(shown.datasets.map((d) => d.dataset.name)).toContain("seattle-weather-train");
    expect(testAccuracy).toBeGreaterThan(0.6);
    const again = keelJson<{ metrics: Record<string, number> }>(dir, [
      "evaluate",
      "models:/seattle-weather@champion",
      "--data",
      "data/test.parquet",
    ]);
    expect(again.metrics.test_accuracy).toBeCloseTo(testAccuracy, 12);
  });

  it("promotes the grid winner to champion because it beats the baselines on validation", () => {
    const champion = keelJson<{ modelVersion: ModelVersion; datasets: unknown[] }>(dir, [
      "models",
      "show",
      `models:/${DEMO_MODEL}@champion`,
    ]);
    expect(champion.modelVersion.runId).toBe(summary.runIds[2]);
    expect(champion.modelVersion.aliases).toContain("champion");
    expect(champion.datasets.length).toBeGreaterThan(0);
    const history = keelJson<AliasEvent[]>(dir, ["models", "alias", "history", DEMO_MODEL, "champion"]);
    expect(history.at(-1)!.toVersion).toBe(champion.modelVersion.version);
    expect(summary.serverCheck.runsFound).toBeGreaterThan(0);
  });

  it("filters and orders runs with MLflow's grammar from the CLI", () => {
    const r = keelJson<{ runs: Run[] }>(dir, [
      "runs",
      "list",
      "--filter",
      "params.threshold = '0' and metrics.valid_accuracy > 0.5",
      "--order-by",
      "metrics.valid_accuracy DESC",
    ]).runs;
    expect(r.length).toBeGreaterThan(0);
    for (const run of r) expect(run.data.params.find((p) => p.key === "threshold")!.value).toBe("0");
    const values = r.map((run) => run.data.metrics.find((m) => m.key === "valid_accuracy")!.value);
    expect([...values].sort((a, b) => b - a)).toEqual(values);
  });

  it("explains a bad filter with its position and exits 2", () => {
    const r = keel(dir, ["runs", "list", "--filter", "metrics.acc > 0.5 OR params.x = 'y'"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/position \d+ near 'OR'/);
  });

  it("shows, compares, deletes and restores runs", () => {
    const [a, b] = summary.runIds;
    const shown = keel(dir, ["runs", "show", a!]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/Params[\s\S]*rule_kind[\s\S]*Metrics \(latest\)[\s\S]*test_accuracy/);
    expect(shown.stdout).toMatch(/Artifacts[\s\S]*model\//);
    const cmp = keelJson<{ rows: { key: string; differs: boolean }[] }>(dir, ["runs", "compare", a!, b!]);
    expect(cmp.rows.find((r) => r.key === "params.rule_kind")!.differs).toBe(true);
    expect(keel(dir, ["runs", "delete", a!]).code).toBe(0);
    const after = keelJson<{ runs: Run[] }>(dir, ["runs", "list", "--max", "100"]).runs;
    expect(after.map((r) => r.info.runId)).not.toContain(a);
    expect(keel(dir, ["runs", "restore", a!]).code).toBe(0);
    const missing = keel(dir, ["runs", "show", "0".repeat(32)]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/0{32}/);
  });

  it("manages experiments and aliases", () => {
    expect(keel(dir, ["experiments", "create", "scratch"]).code).toBe(0);
    const dup = keel(dir, ["experiments", "create", "scratch"]);
    expect(dup.code).toBe(3);
    const exps = keelJson<(Experiment & { runCount: number })[]>(dir, ["experiments", "list"]);
    expect(exps.find((e) => e.name === DEMO_EXPERIMENT)!.runCount).toBe(19);
    expect(keel(dir, ["experiments", "delete", "scratch"]).code).toBe(0);
    expect(keelJson<Experiment[]>(dir, ["experiments", "list"]).map((e) => e.name)).not.toContain("scratch");

    const moved = keel(dir, ["models", "alias", "set", DEMO_MODEL, "champion", "1"]);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stdout).toMatch(/champion: v\d+ -> v1/);
    expect(keel(dir, ["models", "alias", "set", DEMO_MODEL, "champion", "99"]).code).toBe(4);
    expect(keel(dir, ["models", "alias", "delete", DEMO_MODEL, "challenger"]).code).toBe(0);
    const models = keelJson<{ name: string; aliases: { alias: string }[] }[]>(dir, ["models", "list"]);
    expect(models.find((m) => m.name === DEMO_MODEL)!.aliases.map((a) => a.alias)).toEqual(["champion"]);
  });

  it("registers a local folder as a new version, copied into the artifact store", () => {
    const r = keelJson<ModelVersion>(dir, [
      "models",
      "register",
      "from-folder",
      join(dir, "data"),
      "--alias",
      "challenger",
    ]);
    expect(r.version).toBe("1");
    expect(r.source).toMatch(/^file:\/\/.*\/registry\/from-folder\//);
    expect(r.aliases).toEqual(["challenger"]);
    const bad = keel(dir, ["models", "register", "x", "models:/nope"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/models:\/NAME\/VERSION/);
  });
});
