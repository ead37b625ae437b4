/**
 * The pipeline commands through the compiled CLI: a `uses: data.split` stage run as a child
 * `keel` process (its --json output becomes the stage's metrics file), status, dag, exit codes
 * and help.
 */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keel } from "../cli/run-cli.js";
import { byStage, makePipelineProject, type PipelineProject, tag } from "./project.js";

let p: PipelineProject;
const SPLIT_CMD =
  "keel data split data/weather.csv --out data/split --strategy stratified --target label --test 0.25 --seed 3";

beforeAll(() => {
  p = makePipelineProject("keel-pipe-cli");
  const rows = Array.from({ length: 40 }, (_, i) => `${i},${(i * 7) % 13},${i % 2 === 0 ? "sun" : "rain"}`);
  p.write("data/weather.csv", `id,temp,label\n${rows.join("\n")}\n`);
  p.write("params.yaml", "seed: 3\nsplit:\n  test: 0.25\n");
  p.pipeline(`stages:
  split:
    uses: data.split
    with:
      file: data/weather.csv
      out: data/split
      strategy: stratified
      target: label
      test: \${split.test}
      seed: \${seed}
    deps: [data/weather.csv]
    outs: [data/split]
    metrics: [split.json]
  summarize:
    cmd: node step.mjs summarize summary.txt data/split/test.parquet
    deps: [data/split]
    outs: [summary.txt]
`);
});
afterAll(async () => {
  await p.close();
});

describe("keel run with a built-in step", () => {
  it("shows the graph and what would run before anything ran", () => {
    const dag = keel(p.root, ["dag"]);
    expect(dag.code, dag.stderr).toBe(0);
    expect(dag.stdout).toBe(
      "┌───────┐\n│ split │\n└───────┘\n     │ split -> summarize\n     ▼\n┌───────────┐\n│ summarize │\n└───────────┘\n",
    );
    expect(keel(p.root, ["dag", "--mermaid"]).stdout).toBe(
      'flowchart TD\n  s0["split"]\n  s1["summarize"]\n  s0 --> s1\n',
    );
    const status = keel(p.root, ["status", "--json"]);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual([
      { stage: "split", action: "run", why: ["never run"], reasons: [{ kind: "never-run" }] },
      {
        stage: "summarize",
        action: "run",
        why: ["never run", "upstream stage 'split' will run"],
        reasons: [{ kind: "never-run" }, { kind: "upstream", stage: "split" }],
      },
    ]);
  });

  it("runs `keel data split` as a stage, captures its --json as metrics, and tracks it", async () => {
    const r = keel(p.root, ["run", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { runId: string; stages: { name: string; result: string }[] };
    expect(report.stages.map((s) => [s.name, s.result])).toEqual([
      ["split", "ran"],
      ["summarize", "ran"],
    ]);
    // Progress per stage goes to stderr, the command's own table too (stdout stays JSON).
    expect(r.stderr).toContain("[1/2] split: running (never run)");
    expect(r.stderr).toMatch(/\[2\/2\] summarize: done in /);
    expect(existsSync(p.path("data/split/train.parquet"))).toBe(true);
    const split = JSON.parse(p.read("split.json")) as {
      rows: number;
      parts: { name: string; rows: number }[];
    };
    expect(split.rows).toBe(40);
    expect(split.parts.map((x) => [x.name, x.rows])).toEqual([
      ["train", 30],
      ["test", 10],
    ]);
    expect(p.read("keel.lock")).toContain(`cmd: ${SPLIT_CMD}\n`);

    const runs = byStage(await p.stageRuns(report.runId));
    const splitRun = runs.get("split")!;
    expect(tag(splitRun, "keel.stage.cmd")).toBe(SPLIT_CMD);
    const metrics = Object.fromEntries(splitRun.data.metrics.map((m) => [m.key, m.value]));
    expect(metrics).toMatchObject({ rows: 40, "parts.0.rows": 30, "parts.1.rows": 10, seed: 3 });
    expect(Object.fromEntries(splitRun.data.params.map((x) => [x.key, x.value]))).toEqual({
      "split.test": "0.25",
      seed: "3",
    });

    const show = keel(p.root, ["metrics", "show", "--json"]);
    expect(JSON.parse(show.stdout)["split.json"]).toMatchObject({ rows: 40, "parts.1.share": 0.25 });
  });

  it("skips unchanged stages, reports status in words, and fails with exit 1 naming the stage", () => {
    const again = keel(p.root, ["run"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^STAGE\s+RESULT\s+TIME\s+WHY\n/);
    expect(again.stdout).toMatch(/split\s+skipped/);
    expect(keel(p.root, ["status"]).stdout).toBe("split: up to date\nsummarize: up to date\n");

    p.write("params.yaml", "seed: 4\nsplit:\n  test: 0.25\n");
    expect(keel(p.root, ["status"]).stdout).toBe(
      "split: will run\n    changed command\n    changed param seed: 3 -> 4\nsummarize: will run\n    upstream stage 'split' will run\n",
    );
    expect(keel(p.root, ["run", "--dry-run"]).stdout).toContain("split: will run");

    p.pipeline(
      p
        .read("keel.yaml")
        .replace(/^project.*\ntracking_uri.*\n/, "")
        .replace("cmd: node step.mjs summarize", "cmd: exit 4 && node step.mjs summarize"),
    );
    const failed = keel(p.root, ["run"]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("error: stage 'summarize' failed: command failed (exit code 4)\n");
    expect(failed.stdout).toMatch(/split\s+ran/);
  });

  it("refuses an invalid pipeline with exit 2 and the place of the mistake", () => {
    p.pipeline("stages:\n  a:\n    cmd: echo\n    deps: [nowhere.txt]\n");
    const r = keel(p.root, ["run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "error: keel.yaml: stages.a.deps[0] (line 6): dep 'nowhere.txt' of stage 'a' does not exist and no stage writes it; create it, fix the path, or add the stage that makes it\n",
    );
    p.pipeline("stages:\n  a:\n    cmd: echo\n");
    const unknown = keel(p.root, ["status", "nope"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("error: Unknown stage 'nope'; the pipeline has: a\n");
  });

  it("documents every command with examples", () => {
    for (const args of [
      ["run"],
      ["status"],
      ["dag"],
      ["metrics", "show"],
      ["metrics", "diff"],
      ["params", "diff"],
    ]) {
      const help = keel(p.root, [...args, "--help"]);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain("Examples:\n  $ keel ");
    }
  });
});
