/**
 * keel run: what runs, what is skipped, what is restored, and what is recorded. Stages are real
 * child processes (node step.mjs) that count their runs in log/; runs go to a real SQLite store.
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addData } from "../../src/data/versioning/add-data.js";
import { describeReason } from "../../src/pipeline/changed.js";
import { readLock } from "../../src/pipeline/lockfile.js";
import { pipelineStatus } from "../../src/pipeline/pipeline-status.js";
import type { RunReport } from "../../src/pipeline/run-pipeline.js";
import {
  byStage,
  makePipelineProject,
  type PipelineProject,
  STANDARD_PIPELINE,
  setParam,
  standardProject,
  tag,
} from "./project.js";

let p: PipelineProject;
beforeEach(() => {
  p = makePipelineProject();
  standardProject(p);
});
afterEach(async () => {
  await p.close();
});

const results = (r: RunReport) => Object.fromEntries(r.stages.map((s) => [s.name, s.result]));
const counts = () => ({
  prepare: p.count("prepare"),
  features: p.count("features"),
  train: p.count("train"),
  report: p.count("report"),
});

/** Every object file in the data cache. */
function cacheObjects(): string[] {
  const root = p.path(".keel/cache/sha256");
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .flatMap((shard) => readdirSync(`${root}/${shard}`).map((f) => `${shard}${f}`))
    .sort();
}

describe("caching", () => {
  it("runs every stage once, records the lock and the runs, then skips everything", async () => {
    // raw.csv is versioned data: stage runs that read it record it as an input (lineage).
    await addData(p.ws(), (await p.tracker()).store, p.path("data/raw.csv"));
    const first = await p.run();
    expect(results(first)).toEqual({ prepare: "ran", features: "ran", train: "ran", report: "ran" });
    expect(counts()).toEqual({ prepare: 1, features: 1, train: 1, report: 1 });
    const lock = await readLock(p.root);
    expect([...lock.keys()]).toEqual(["features", "prepare", "report", "train"]);
    expect(lock.get("train")?.params).toEqual({
      "params.yaml": { "train.max_depth": 6, "train.learning_rate": 0.1 },
    });
    expect(lock.get("features")?.outs[0]).toMatchObject({
      path: "data/features",
      meta: { nfiles: 1, isdir: true },
    });
    // Outputs are in the data cache and kept out of git.
    expect(cacheObjects().length).toBeGreaterThanOrEqual(5);
    expect(p.read(".gitignore")).toContain("/data/features\n");

    const tracker = await p.tracker();
    const pipelineRun = await tracker.store.getRun(first.runId as string);
    expect(tag(pipelineRun, "keel.command")).toBe("run");
    expect(pipelineRun.info.status).toBe("FINISHED");
    const runs = byStage(await p.stageRuns(first.runId as string));
    expect([...runs.keys()].sort()).toEqual(["features", "prepare", "report", "train"]);
    expect(runs.get("prepare")!.inputs.datasetInputs.map((i) => [i.dataset.name, i.dataset.version])).toEqual(
      [["raw", 1]],
    );
    const train = runs.get("train")!;
    expect(train.info.status).toBe("FINISHED");
    expect(Object.fromEntries(train.data.params.map((x) => [x.key, x.value]))).toEqual({
      "train.max_depth": "6",
      "train.learning_rate": "0.1",
    });
    expect(Object.fromEntries(train.data.metrics.map((m) => [m.key, m.value]))).toEqual({
      "score.auc": 0.1,
      rows: 5,
    });
    const artifacts = await tracker.artifactsOf(train.info.runId);
    const stdout = Buffer.concat(await (await artifacts.get("logs/stdout.txt")).toArray()).toString();
    expect(stdout).toBe("step train ok\n");
    expect(await artifacts.stat("logs/stderr.txt")).not.toBeNull();
    expect(await artifacts.stat("metrics/metrics.json")).not.toBeNull();

    const again = await p.run();
    expect(results(again)).toEqual({
      prepare: "skipped",
      features: "skipped",
      train: "skipped",
      report: "skipped",
    });
    expect(counts()).toEqual({ prepare: 1, features: 1, train: 1, report: 1 });
    const skipped = await p.stageRuns(again.runId as string);
    expect(skipped.map((r) => tag(r, "keel.stage.skipped"))).toEqual(["true", "true", "true", "true"]);
  });

  it("reruns exactly the dependents of a changed dep", async () => {
    await p.run();
    p.write("data/raw.csv", "x,y\n1,2\n3,4\n");
    const r = await p.run();
    expect(results(r)).toEqual({ prepare: "ran", features: "ran", train: "ran", report: "skipped" });
    expect(r.stages[0]?.reasons.map(describeReason)).toEqual(["changed dep data/raw.csv"]);
    expect(counts()).toEqual({ prepare: 2, features: 2, train: 2, report: 1 });
    const runs = byStage(await p.stageRuns(r.runId as string));
    expect(tag(runs.get("train")!, "keel.stage.skipped")).toBeUndefined();
    expect(tag(runs.get("report")!, "keel.stage.skipped")).toBe("true");

    p.write("notes.txt", "more notes\n");
    expect(results(await p.run())).toEqual({
      prepare: "skipped",
      features: "skipped",
      train: "skipped",
      report: "ran",
    });
    expect(counts()).toEqual({ prepare: 2, features: 2, train: 2, report: 2 });
  });

  it("reruns exactly the stages that read a changed param; identical outputs stop the wave", async () => {
    await p.run();
    setParam(p, "learning_rate", "0.3");
    const r = await p.run();
    expect(results(r)).toEqual({ prepare: "skipped", features: "skipped", train: "ran", report: "skipped" });
    expect(r.stages[2]?.reasons.map(describeReason)).toEqual([
      "changed command",
      "changed param train.learning_rate: 0.1 -> 0.3",
    ]);
    expect(counts()).toEqual({ prepare: 1, features: 1, train: 2, report: 1 });
    // prepare reads seed, but its output does not depend on it: it reruns, and its dependents
    // see an identical output, so they are skipped (DVC's behaviour).
    setParam(p, "seed", "5");
    expect(results(await p.run())).toEqual({
      prepare: "ran",
      features: "skipped",
      train: "skipped",
      report: "skipped",
    });
    expect(counts()).toEqual({ prepare: 2, features: 1, train: 2, report: 1 });
  });

  it("--force runs the selected stages and their upstream even when unchanged", async () => {
    await p.run();
    const r = await p.run({ targets: ["features"], force: true });
    expect(results(r)).toEqual({ prepare: "ran", features: "ran" });
    expect(r.stages[0]?.reasons.map(describeReason)).toEqual(["forced (--force)"]);
    expect(counts()).toEqual({ prepare: 2, features: 2, train: 1, report: 1 });
    expect(results(await p.run({ targets: ["report"] }))).toEqual({ report: "skipped" });
  });

  it("always_changed: true runs a stage every time", async () => {
    p.pipeline(
      "stages:\n  poll:\n    cmd: node step.mjs poll poll.txt\n    outs: [poll.txt]\n    always_changed: true\n",
    );
    await p.run();
    const r = await p.run();
    expect(r.stages[0]?.reasons.map(describeReason)).toEqual(["always_changed: true"]);
    expect(p.count("poll")).toBe(2);
  });

  it("frozen: true never runs the stage, whatever changed (not even --force); thawed, it runs", async () => {
    await p.run();
    const frozen = STANDARD_PIPELINE.replace(
      "    outs: [model.txt]\n",
      "    outs: [model.txt]\n    frozen: true\n",
    );
    p.pipeline(frozen);
    setParam(p, "max_depth", "9"); // a param train reads
    const status = await pipelineStatus(p.ws());
    expect(status.find((s) => s.stage.name === "train")?.reasons.map(describeReason)).toEqual([
      "frozen: true (not run, not checked)",
    ]);
    const r = await p.run({ force: true, targets: ["train"] });
    expect(results(r).train).toBe("skipped");
    expect(r.stages.find((s) => s.name === "train")?.reasons.map((x) => x.kind)).toEqual(["frozen"]);
    expect(p.count("train")).toBe(1);
    // Its recorded entry is kept as it was; unfrozen, the param change makes it run.
    expect((await readLock(p.root)).get("train")?.params["params.yaml"]?.["train.max_depth"]).not.toBe(9);
    p.pipeline(STANDARD_PIPELINE);
    expect(results(await p.run({ targets: ["train"] })).train).toBe("ran");
    expect(p.count("train")).toBe(2);
  });

  it("persist: true keeps an output in place while its stage runs; other outputs are deleted first", async () => {
    const appendTo = (file: string) => `node -e "require('fs').appendFileSync('${file}', 'line\\n')"`;
    p.pipeline(
      "stages:\n" +
        `  grow:\n    cmd: ${appendTo("ckpt.txt")}\n    outs:\n      - ckpt.txt: {persist: true}\n    always_changed: true\n` +
        `  fresh:\n    cmd: ${appendTo("fresh.txt")}\n    outs: [fresh.txt]\n    always_changed: true\n`,
    );
    for (let i = 0; i < 3; i++) expect((await p.run()).failed).toEqual([]);
    expect(p.read("ckpt.txt")).toBe("line\nline\nline\n");
    expect(p.read("fresh.txt")).toBe("line\n");
  });

  it("restores deleted or modified outputs from the cache without running", async () => {
    await p.run();
    const model = p.read("model.txt");
    const part = p.read("data/features/part.txt");
    rmSync(p.path("model.txt"));
    rmSync(p.path("data/features"), { recursive: true });
    p.write("report.txt", "edited by hand\n");
    const status = await pipelineStatus(p.ws());
    expect(status.map((s) => [s.stage.name, s.action, s.reasons.map(describeReason)])).toEqual([
      ["prepare", "skip", []],
      ["features", "restore", ["missing out data/features (restorable from the cache)"]],
      ["train", "restore", ["missing out model.txt (restorable from the cache)"]],
      ["report", "restore", ["modified out report.txt (restorable from the cache)"]],
    ]);
    const r = await p.run();
    expect(results(r)).toEqual({
      prepare: "skipped",
      features: "restored",
      train: "restored",
      report: "restored",
    });
    expect(counts()).toEqual({ prepare: 1, features: 1, train: 1, report: 1 });
    expect(p.read("model.txt")).toBe(model);
    expect(p.read("data/features/part.txt")).toBe(part);
    expect(p.read("report.txt")).toBe("notes\nreport\n");
    const runs = byStage(await p.stageRuns(r.runId as string));
    expect(tag(runs.get("train")!, "keel.stage.restored")).toBe("true");
  });

  it("--dry-run reports what would run and changes nothing", async () => {
    await p.run();
    setParam(p, "max_depth", "9");
    rmSync(p.path("report.txt"));
    const lockBefore = p.read("keel.lock");
    const objects = cacheObjects();
    const tracker = await p.tracker();
    const runsBefore = (await tracker.store.searchRuns({ experimentIds: ["0"] })).items.length;

    const r = await p.run({ dryRun: true });
    expect(results(r)).toEqual({
      prepare: "skipped",
      features: "skipped",
      train: "would-run",
      report: "would-restore",
    });
    expect(r.stages[2]?.reasons.map(describeReason)).toEqual(["changed param train.max_depth: 6 -> 9"]);
    expect(r.runId).toBeNull();
    expect(p.read("keel.lock")).toBe(lockBefore);
    expect(cacheObjects()).toEqual(objects);
    expect(existsSync(p.path("report.txt"))).toBe(false);
    expect(existsSync(p.path("model.txt"))).toBe(true);
    expect(counts()).toEqual({ prepare: 1, features: 1, train: 1, report: 1 });
    expect((await tracker.store.searchRuns({ experimentIds: ["0"] })).items.length).toBe(runsBefore);
  });

  it("marks stages below one that will run in status, with the reason", async () => {
    const never = await pipelineStatus(p.ws());
    expect(never.map((s) => s.reasons.map(describeReason))).toEqual([
      ["never run"],
      ["never run", "upstream stage 'prepare' will run"],
      ["never run", "upstream stage 'features' will run"],
      ["never run"],
    ]);
    await p.run();
    p.write("data/raw.csv", "changed\n");
    const plans = await pipelineStatus(p.ws(), { targets: ["train"] });
    expect(plans.map((s) => [s.stage.name, s.action, s.reasons.map(describeReason)])).toEqual([
      ["prepare", "run", ["changed dep data/raw.csv"]],
      ["features", "run", ["upstream stage 'prepare' will run"]],
      ["train", "run", ["upstream stage 'features' will run"]],
    ]);
  });
});

describe("parallel stages", () => {
  it("--jobs 2 runs two independent stages at the same time", async () => {
    p.pipeline(
      "stages:\n  a:\n    cmd: node step.mjs a a.txt --sleep 700\n    outs: [a.txt]\n  b:\n    cmd: node step.mjs b b.txt --sleep 700\n    outs: [b.txt]\n  c:\n    cmd: node step.mjs c c.txt a.txt b.txt\n    deps: [a.txt, b.txt]\n    outs: [c.txt]\n",
    );
    const r = await p.run({ jobs: 2 });
    expect(results(r)).toEqual({ a: "ran", b: "ran", c: "ran" });
    const [[aStart, aEnd]] = p.times("a") as [[number, number]];
    const [[bStart, bEnd]] = p.times("b") as [[number, number]];
    expect(aStart).toBeLessThan(bEnd);
    expect(bStart).toBeLessThan(aEnd);
    // c waited for both.
    const [[cStart]] = p.times("c") as [[number, number]];
    expect(cStart).toBeGreaterThanOrEqual(Math.max(aEnd, bEnd));
    expect(p.read("c.txt")).toBe("a\nb\nc\n");
    // Stages finishing together queue their .gitignore and keel.lock updates: none is lost.
    expect(p.read(".gitignore")).toMatch(/^\/a\.txt$/m);
    expect(p.read(".gitignore")).toMatch(/^\/b\.txt$/m);
    expect([...(await readLock(p.root)).keys()]).toEqual(["a", "b", "c"]);

    // One job at a time: no overlap.
    rmSync(p.path("log"), { recursive: true });
    await p.run({ jobs: 1, force: true, targets: ["a", "b"] });
    const [[a2Start, a2End]] = p.times("a") as [[number, number]];
    const [[b2Start]] = p.times("b") as [[number, number]];
    expect(b2Start).toBeGreaterThanOrEqual(a2End);
    expect(a2Start).toBeLessThan(b2Start);
  });
});

describe("failures", () => {
  it("a failing stage keeps its lock entry and caches nothing, its dependents do not run, others do", async () => {
    p.pipeline(
      `${p.read("keel.yaml").replace(/^project.*\ntracking_uri.*\n/, "")}  evaluate:\n    cmd: node step.mjs evaluate eval.txt model.txt\n    deps: [model.txt]\n    outs: [eval.txt]\n`,
    );
    await p.run();
    const lockBefore = (await readLock(p.root)).get("train");
    const objects = cacheObjects();
    const modelBefore = p.read("model.txt");
    setParam(p, "learning_rate", "0.7");
    p.write("notes.txt", "new notes\n");
    p.pipeline(
      p
        .read("keel.yaml")
        .replace(/^project.*\ntracking_uri.*\n/, "")
        .replace("--metrics", "--fail --metrics"),
    );

    const r = await p.run();
    expect(results(r)).toEqual({
      prepare: "skipped",
      features: "skipped",
      train: "failed",
      report: "ran",
      evaluate: "not-run",
    });
    expect(r.failed).toEqual(["train"]);
    const train = r.stages.find((s) => s.name === "train");
    expect(train).toMatchObject({ exitCode: 3, error: "command failed (exit code 3)" });
    expect(r.stages.find((s) => s.name === "evaluate")?.blockedBy).toBe("train");
    expect(p.count("evaluate")).toBe(1);

    // The lock keeps train's previous entry; the cache holds nothing of the failed run
    // (report's new output is the only new content), and no temp files are left behind.
    expect((await readLock(p.root)).get("train")).toEqual(lockBefore);
    const added = cacheObjects().filter((o) => !objects.includes(o));
    const reportEntry = (await readLock(p.root)).get("report")?.outs[0]?.hash.value;
    expect(added).toEqual([reportEntry]);
    expect(readdirSync(p.path(".keel/tmp")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    // The stale output was deleted before the command ran; what is there now is the partial write.
    expect(p.read("model.txt")).not.toBe(modelBefore);

    const tracker = await p.tracker();
    expect((await tracker.store.getRun(r.runId as string)).info.status).toBe("FAILED");
    const failedRun = byStage(await p.stageRuns(r.runId as string)).get("train")!;
    expect(failedRun.info.status).toBe("FAILED");
    const stderr = Buffer.concat(
      await (await (await tracker.artifactsOf(failedRun.info.runId)).get("logs/stderr.txt")).toArray(),
    );
    expect(stderr.toString()).toContain("step train failed on purpose");

    // Status says train must run (its output no longer matches), and fixing the command recovers.
    expect((await pipelineStatus(p.ws(), { targets: ["train"] })).at(-1)?.action).toBe("run");
    p.pipeline(
      p
        .read("keel.yaml")
        .replace(/^project.*\ntracking_uri.*\n/, "")
        .replace("--fail ", ""),
    );
    // model.txt does not depend on the learning rate, so evaluate sees its old input again.
    expect(results(await p.run())).toMatchObject({ train: "ran", evaluate: "skipped" });
    expect(p.read("model.txt")).toBe(modelBefore);
  });

  it("a list of commands stops at the first failure", async () => {
    p.pipeline(
      "stages:\n  a:\n    cmd:\n      - node step.mjs one one.txt\n      - exit 5\n      - node step.mjs two two.txt\n    outs: [one.txt]\n",
    );
    const r = await p.run();
    expect(r.stages[0]).toMatchObject({ result: "failed", exitCode: 5 });
    expect([p.count("one"), p.count("two")]).toEqual([1, 0]);
  });

  it("a command that succeeds without writing a declared output fails the stage", async () => {
    p.pipeline("stages:\n  a:\n    cmd: node step.mjs a a.txt\n    outs: [a.txt, missing.txt]\n");
    const r = await p.run();
    expect(r.stages[0]).toMatchObject({
      result: "failed",
      error: "the command succeeded but did not write 'missing.txt'; fix the command or the outs: list",
    });
    expect(await readLock(p.root)).toEqual(new Map());
    expect(cacheObjects()).toEqual([]);
  });
});
