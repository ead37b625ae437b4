import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProject, type Project, penguinFiles } from "../learn-train/helpers.js";
import { runKeelInProcess as keel } from "../support/in-process-cli.js";

interface GateJson {
  runId: string;
  passed: boolean;
  metric: string;
  candidate: { score: number };
  checks: {
    reference: string;
    description: string;
    score: number | null;
    lift: number | null;
    passed: boolean;
    note?: string;
  }[];
}

describe("keel ci gate", () => {
  let p: Project;
  let files: { train: string; test: string };
  let store: string[];
  const savedRoot = process.env.KEEL_ARTIFACT_ROOT;

  /** Trains `model` with `params` on the penguins and registers it under `name` with `alias`. */
  async function register(name: string, model: string, params: string[], alias: string): Promise<void> {
    const r = await keel([
      "train",
      ...["--data", files.train, "--test", files.test, "--target", "species", "--model", model],
      ...params.flatMap((kv) => ["--param", kv]),
      ...["--register", name, "--alias", alias, "--json", ...store],
    ]);
    expect(r.code, r.stderr).toBe(0);
  }

  async function gate(args: string[]): Promise<{ code: number; out: GateJson; stderr: string }> {
    const r = await keel(["ci", "gate", ...args, "--json", ...store]);
    return {
      code: r.code,
      out: r.code <= 1 ? (JSON.parse(r.stdout) as GateJson) : (undefined as never),
      stderr: r.stderr,
    };
  }

  async function countRuns(): Promise<number> {
    const experiments = await p.tracker.store.searchExperiments({ maxResults: 1000 });
    const ids = experiments.items.map((e) => e.experimentId);
    return (await p.tracker.store.searchRuns({ experimentIds: ids, maxResults: 1000 })).items.length;
  }

  beforeAll(async () => {
    p = await makeProject();
    files = await penguinFiles(p.dir);
    store = ["--tracking-uri", p.trackingUri];
    process.env.KEEL_ARTIFACT_ROOT = join(p.dir, ".keel", "artifacts");
    // A weak champion (a stump) and a strong challenger (logistic regression).
    await register("penguins", "tree", ["max_depth=1"], "champion");
    await register("penguins", "logreg", [], "challenger");
  }, 120_000);
  afterAll(async () => {
    if (savedRoot === undefined) delete process.env.KEEL_ARTIFACT_ROOT;
    else process.env.KEEL_ARTIFACT_ROOT = savedRoot;
    await p.close();
  });

  it("passes a candidate that beats the best baseline and the champion, and tracks the verdict", async () => {
    const r = await gate([
      "--candidate",
      "models:/penguins@challenger",
      "--data",
      files.test,
      "--metric",
      "accuracy",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.out.passed).toBe(true);
    const [baseline, champion] = r.out.checks;
    expect(baseline!.reference).toBe("baseline");
    // The strongest baseline on penguins is the one-feature rule (flipper length separates Gentoo).
    expect(baseline!.description).toMatch(/^one_feature/);
    expect(baseline!.score!).toBeGreaterThan(0.6);
    expect(champion!.description).toBe("models:/penguins/1");
    expect(r.out.candidate.score).toBeGreaterThan(champion!.score!);
    expect(champion!.lift).toBeCloseTo(r.out.candidate.score - champion!.score!, 12);

    const run = await p.tracker.store.getRun(r.out.runId);
    const tags = Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
    expect(tags["keel.gate.verdict"]).toBe("pass");
    expect(tags["keel.model_version"]).toBe("models:/penguins/2");
    const metrics = Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value]));
    expect(metrics.gate_passed).toBe(1);
    expect(metrics.candidate_test_accuracy).toBe(r.out.candidate.score);
    expect(metrics.lift_champion).toBeCloseTo(champion!.lift!, 12);
  });

  it("fails (exit 1) a candidate worse than the champion, naming the failing reference in the table", async () => {
    const r = await keel([
      "ci",
      "gate",
      ...["--candidate", "models:/penguins/1", "--data", files.test, "--metric", "accuracy"],
      ...["--must-beat", "baseline,models:/penguins/2", ...store],
    ]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/models:\/penguins\/2\s.*FAIL/);
    expect(r.stdout).toContain("FAIL: the candidate must beat each reference strictly on accuracy");
  });

  it("--min-lift turns a small win into a failure; lower-is-better metrics compare the right way", async () => {
    const strict = await gate([
      ...["--candidate", "models:/penguins@challenger", "--data", files.test],
      ...["--metric", "accuracy", "--must-beat", "champion", "--min-lift", "0.9"],
    ]);
    expect(strict.code).toBe(1);
    expect(strict.out.checks[0]!.lift!).toBeGreaterThan(0);
    expect(strict.out.checks[0]!.passed).toBe(false);
    const loss = await gate([
      ...["--candidate", "models:/penguins@challenger", "--data", files.test],
      ...["--metric", "log_loss", "--must-beat", "champion"],
    ]);
    expect(loss.code, loss.stderr).toBe(0);
    expect(loss.out.candidate.score).toBeLessThan(loss.out.checks[0]!.score!);
    expect(loss.out.checks[0]!.lift!).toBeGreaterThan(0);
  });

  it("champion checks do not apply to the first model nor to the champion itself", async () => {
    await register("other", "logreg", [], "challenger");
    const first = await gate([
      "--candidate",
      "models:/other@challenger",
      "--data",
      files.test,
      "--metric",
      "accuracy",
    ]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.out.checks[1]!.note).toMatch(/no champion yet/);
    const self = await gate([
      ...["--candidate", "models:/penguins@champion", "--data", files.test, "--metric", "accuracy"],
      ...["--must-beat", "champion"],
    ]);
    expect(self.code).toBe(0);
    expect(self.out.checks[0]!.note).toBe("the candidate is the champion");
  });

  it("refuses changed training data unless --train is given, and rejects bad input with exit 2 or 4", async () => {
    const original = readFileSync(files.train);
    try {
      copyFileSync(files.test, files.train);
      const changed = await keel([
        "ci",
        "gate",
        ...["--candidate", "models:/penguins@challenger", "--data", files.test, "--metric", "accuracy"],
        ...["--must-beat", "baseline", ...store],
      ]);
      expect(changed.code).toBe(2);
      expect(changed.stderr).toMatch(/changed since training.*--train FILE/);
    } finally {
      writeFileSync(files.train, original);
    }
    const explicit = await gate([
      ...["--candidate", "models:/penguins@challenger", "--data", files.test, "--metric", "accuracy"],
      ...["--must-beat", "baseline", "--train", files.train],
    ]);
    expect(explicit.code, explicit.stderr).toBe(0);

    const runsBefore = await countRuns();
    const cases: [string[], number, RegExp][] = [
      [["--metric", "roc_auc_typo"], 2, /has no 'roc_auc_typo'.*accuracy/],
      [["--metric", "accuracy", "--min-lift", "-1"], 2, /--min-lift must be a number >= 0/],
      [["--metric", "accuracy", "--must-beat", " , "], 2, /--must-beat needs at least one reference/],
    ];
    for (const [args, code, message] of cases) {
      const r = await keel([
        "ci",
        "gate",
        "--candidate",
        "models:/penguins@challenger",
        "--data",
        files.test,
        ...args,
        ...store,
      ]);
      expect(r.code, args.join(" ")).toBe(code);
      expect(r.stderr).toMatch(message);
    }
    const missing = await keel([
      "ci",
      "gate",
      "--candidate",
      "models:/nope/1",
      "--data",
      files.test,
      "--metric",
      "accuracy",
      ...store,
    ]);
    expect(missing.code).toBe(4);
    const noFile = await keel([
      "ci",
      "gate",
      "--candidate",
      "models:/penguins/1",
      "--data",
      join(p.dir, "none.parquet"),
      "--metric",
      "accuracy",
      ...store,
    ]);
    expect(noFile.code).toBe(4);
    expect(noFile.stderr).toContain("none.parquet");
    // Bad input is refused before a gate run is recorded.
    const runsAfter = await countRuns();
    expect(runsAfter).toBe(runsBefore);
  });
});
