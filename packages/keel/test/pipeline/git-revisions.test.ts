/**
 * Pipelines and git: outputs are gitignored and cached, keel.lock is committed; checking out an
 * older commit and running `keel data checkout` brings its outputs back byte for byte; metrics
 * and params diff against a git revision and against a tracked run.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { diffMetrics, diffParams } from "../../src/pipeline/diff-values.js";
import { pipelineStatus } from "../../src/pipeline/pipeline-status.js";
import { parseRevision } from "../../src/pipeline/revision.js";
import { metricsAt, paramsAt, type SnapshotContext } from "../../src/pipeline/snapshots.js";
import { keel } from "../cli/run-cli.js";
import { makePipelineProject, type PipelineProject, setParam, standardProject } from "./project.js";

let p: PipelineProject;
beforeEach(() => {
  p = makePipelineProject("keel-pipe-git");
  standardProject(p);
  p.gitInit();
});
afterEach(async () => {
  await p.close();
});

const OUTPUTS = ["model.txt", "data/features/part.txt", "data/prepared.txt", "metrics.json", "report.txt"];

it("git checkout of an older keel.lock plus keel data checkout reproduces the older outputs", async () => {
  const first = await p.run();
  p.git("add", "-A");
  p.git("commit", "-q", "-m", "v1");
  // Outputs are not in git: the cache holds them, keel.lock names them.
  const tracked = p.git("ls-files");
  expect(tracked).toContain("keel.lock");
  for (const out of OUTPUTS) expect(tracked).not.toContain(`${out}\n`);
  const v1 = Object.fromEntries(OUTPUTS.map((o) => [o, p.read(o)]));

  setParam(p, "learning_rate", "0.5");
  p.write("data/raw.csv", "x,y\n1,2\n3,4\n");
  p.write("notes.txt", "v2 notes\n");
  await p.run();
  p.git("commit", "-q", "-am", "v2");
  for (const o of OUTPUTS) expect(p.read(o)).not.toBe(v1[o]);

  // Metrics and params of the older commit (metrics.json is cached, so it is read through that
  // commit's keel.lock) and of the first pipeline run, against the workspace.
  const ctx: SnapshotContext = { ws: p.ws(), tracker: () => p.tracker() };
  const workspace = parseRevision("workspace");
  const expectedMetrics = [
    { path: "metrics.json", key: "rows", old: 5, new: 6, change: 1 },
    { path: "metrics.json", key: "score.auc", old: 0.1, new: 0.5, change: 0.4 },
  ];
  const byGit = diffMetrics(await metricsAt(ctx, parseRevision("HEAD~1")), await metricsAt(ctx, workspace));
  expect(byGit.map((r) => ({ ...r, change: Number(r.change?.toFixed(6)) }))).toEqual(expectedMetrics);
  const byRun = diffMetrics(
    await metricsAt(ctx, parseRevision(`run:${first.runId}`)),
    await metricsAt(ctx, workspace),
  );
  expect(byRun.map((r) => ({ ...r, change: Number(r.change?.toFixed(6)) }))).toEqual(expectedMetrics);
  const params = [{ path: "params.yaml", key: "train.learning_rate", old: "0.1", new: "0.5" }];
  expect(diffParams(await paramsAt(ctx, parseRevision("HEAD~1")), await paramsAt(ctx, workspace))).toEqual(
    params,
  );
  expect(
    diffParams(await paramsAt(ctx, parseRevision(`run:${first.runId}`)), await paramsAt(ctx, workspace)),
  ).toEqual(params);
  expect(diffParams(await paramsAt(ctx, parseRevision("HEAD")), await paramsAt(ctx, workspace))).toEqual([]);

  // The same through the CLI, DVC's JSON shape.
  const cliMetrics = keel(p.root, ["metrics", "diff", "HEAD~1", "--json"]);
  expect(cliMetrics.code, cliMetrics.stderr).toBe(0);
  expect(JSON.parse(cliMetrics.stdout)).toMatchObject({
    a: "HEAD~1",
    b: "workspace",
    diff: { "metrics.json": { "score.auc": { old: 0.1, new: 0.5 }, rows: { old: 5, new: 6, change: 1 } } },
  });
  const cliParams = keel(p.root, ["params", "diff", `run:${first.runId}`]);
  expect(cliParams.code, cliParams.stderr).toBe(0);
  expect(cliParams.stdout).toMatch(new RegExp(`PATH\\s+PARAM\\s+run:${first.runId}\\s+workspace`));
  expect(cliParams.stdout).toMatch(/params\.yaml\s+train\.learning_rate\s+0\.1\s+0\.5/);

  // Back to v1: git restores keel.lock, params and raw data; keel data checkout the outputs.
  p.git("checkout", "-q", "HEAD~1");
  const checkout = keel(p.root, ["data", "checkout", "--json"]);
  expect(checkout.code, checkout.stderr).toBe(0);
  const report = JSON.parse(checkout.stdout) as {
    outputs: { path: string; restored: number }[];
    notInCache: string[];
  };
  expect(report.notInCache).toEqual([]);
  expect(report.outputs.map((o) => o.path).sort()).toEqual([
    "data/features",
    "data/prepared.txt",
    "metrics.json",
    "model.txt",
    "report.txt",
  ]);
  for (const o of OUTPUTS) expect(p.read(o)).toBe(v1[o]);
  // Nothing is left to run: the workspace is exactly what v1's keel.lock records.
  expect((await pipelineStatus(p.ws())).map((s) => s.action)).toEqual(["skip", "skip", "skip", "skip"]);

  // One output by path.
  p.git("checkout", "-q", "main");
  const one = keel(p.root, ["data", "checkout", "model.txt"]);
  expect(one.code, one.stderr).toBe(0);
  expect(one.stdout).toBe("model.txt (stage train): 1 restored, 0 unchanged, 0 removed\n");
  expect(p.read("model.txt")).not.toBe(v1["model.txt"]);
});
