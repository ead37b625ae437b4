/**
 * A throwaway Keel project for pipeline tests: scaffolded in a temp folder, with a real SQLite
 * store behind a Tracker, a small `step.mjs` script the stages run (it counts its runs and
 * records start/end times under log/), and helpers to write keel.yaml and read counters.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openWorkspace, type Workspace } from "../../src/data/versioning/workspace.js";
import { type RunPipelineOptions, type RunReport, runPipeline } from "../../src/pipeline/run-pipeline.js";
import { loadProject } from "../../src/project/keel-config.js";
import { scaffoldProject } from "../../src/project/scaffold.js";
import type { Run } from "../../src/store/entities.js";
import { Tracker } from "../../src/track/tracker.js";
import { makeTempDir } from "../support/temp-dir.js";

/**
 * `node step.mjs NAME OUT [IN...] [--sleep MS] [--metrics FILE=AUC] [--fail]`: appends
 * `start end` (epoch ms) to log/NAME.times, writes OUT = the inputs' text plus a line naming the
 * step (OUT ending in `/` is a folder with one file), optionally a metrics JSON file, and with
 * --fail exits 3 after writing a partial OUT.
 */
const STEP = `import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
const args = process.argv.slice(2);
const flag = (f) => { const i = args.indexOf(f); if (i < 0) return undefined; const v = args[i + 1]; args.splice(i, 2); return v; };
const fail = args.includes("--fail"); if (fail) args.splice(args.indexOf("--fail"), 1);
const sleep = Number(flag("--sleep") ?? 0);
const metrics = flag("--metrics");
const [name, out, ...inputs] = args;
const start = Date.now();
await new Promise((r) => setTimeout(r, sleep));
const body = inputs.map((f) => readFileSync(f, "utf8")).join("") + name + "\\n";
if (out.endsWith("/")) { mkdirSync(out, { recursive: true }); writeFileSync(out + "part.txt", body); }
else writeFileSync(out, fail ? body.slice(0, 3) : body);
if (metrics) { const [file, value] = metrics.split("="); writeFileSync(file, JSON.stringify({ score: { auc: Number(value) }, rows: body.split("\\n").length - 1, model: name })); }
mkdirSync("log", { recursive: true });
appendFileSync("log/" + name + ".times", start + " " + Date.now() + "\\n");
if (fail) { console.error("step " + name + " failed on purpose"); process.exit(3); }
console.log("step " + name + " ok");
`;

/** A test project. */
export interface PipelineProject {
  readonly root: string;
  /** The data-versioning view (re-read after keel.yaml changes). */
  ws(): Workspace;
  /** Absolute path of a root-relative path. */
  path(rel: string): string;
  write(rel: string, text: string): void;
  read(rel: string): string;
  /** Replace keel.yaml's stages (and top-level extras such as vars:). */
  pipeline(yaml: string): void;
  /** How many times step NAME ran. */
  count(name: string): number;
  /** [start, end] of each run of step NAME. */
  times(name: string): [number, number][];
  /** Run the pipeline with a tracker on the project's SQLite store. */
  run(options?: RunPipelineOptions): Promise<RunReport>;
  /** The tracker (opened on first use). */
  tracker(): Promise<Tracker>;
  /** The stage runs nested under a pipeline run. */
  stageRuns(pipelineRunId: string): Promise<Run[]>;
  /** `git ...` in the project (a repository after {@link gitInit}). */
  git(...args: string[]): string;
  gitInit(): void;
  close(): Promise<void>;
}

/** Scaffold a project in a fresh temp folder. */
export function makePipelineProject(prefix = "keel-pipe"): PipelineProject {
  const temp = makeTempDir(prefix);
  const root = join(temp.dir, "proj");
  scaffoldProject(root, { name: "proj" });
  writeFileSync(join(root, "step.mjs"), STEP);
  let tracker: Promise<Tracker> | undefined;
  const abs = (rel: string) => join(root, ...rel.split("/"));
  const project: PipelineProject = {
    root,
    ws: () => openWorkspace(loadProject(root)),
    path: abs,
    write(rel, text) {
      mkdirSync(join(abs(rel), ".."), { recursive: true });
      writeFileSync(abs(rel), text);
    },
    read: (rel) => readFileSync(abs(rel), "utf8"),
    pipeline(yaml) {
      writeFileSync(abs("keel.yaml"), `project: proj\ntracking_uri: .keel/keel.db\n${yaml}`);
    },
    count: (name) => project.times(name).length,
    times(name) {
      const file = abs(`log/${name}.times`);
      if (!existsSync(file)) return [];
      return readFileSync(file, "utf8")
        .trim()
        .split("\n")
        .map((l) => l.split(" ").map(Number) as [number, number]);
    },
    tracker() {
      tracker ??= Tracker.open({ trackingUri: abs(".keel/keel.db"), cwd: root, handleProcessExit: false });
      return tracker;
    },
    async run(options = {}) {
      return runPipeline(project.ws(), { tracker: await project.tracker(), ...options });
    },
    async stageRuns(id) {
      const t = await project.tracker();
      const parent = await t.store.getRun(id);
      const page = await t.store.searchRuns({
        experimentIds: [parent.info.experimentId],
        filter: `tags.mlflow.parentRunId = '${id}'`,
      });
      return page.items;
    },
    git: (...args) =>
      execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=t@example.com", ...args], {
        cwd: root,
        encoding: "utf8",
      }),
    gitInit() {
      project.git("init", "-q", "-b", "main");
    },
    async close() {
      if (tracker !== undefined) await (await tracker).close();
      temp.cleanup();
    },
  };
  return project;
}

/** Tag value of a run. */
export function tag(run: Run, key: string): string | undefined {
  return run.data.tags.find((t) => t.key === key)?.value;
}

/** Stage name -> its run, for the runs of one pipeline run. */
export function byStage(runs: readonly Run[]): Map<string, Run> {
  return new Map(runs.map((r) => [tag(r, "keel.stage") as string, r]));
}

/**
 * The pipeline most tests use: prepare -> features -> train (with metrics), plus an
 * independent report stage. params.yaml is the scaffold's (seed, split.test, train.*).
 */
export const STANDARD_PIPELINE = `stages:
  prepare:
    cmd: node step.mjs prepare data/prepared.txt data/raw.csv
    deps: [step.mjs, data/raw.csv]
    params: [seed]
    outs: [data/prepared.txt]
  features:
    cmd: node step.mjs features data/features/ data/prepared.txt
    deps: [data/prepared.txt]
    outs: [data/features]
  train:
    cmd: node step.mjs train model.txt data/features/part.txt --metrics metrics.json=\${train.learning_rate}
    deps: [data/features]
    params: [train.max_depth]
    outs: [model.txt]
    metrics: [metrics.json]
  report:
    cmd: node step.mjs report report.txt notes.txt
    deps: [notes.txt]
    outs: [report.txt]
`;

/** Write the standard pipeline and its inputs. */
export function standardProject(p: PipelineProject): void {
  p.write("data/raw.csv", "x,y\n1,2\n");
  p.write("notes.txt", "notes\n");
  p.pipeline(STANDARD_PIPELINE);
}

/** Replace `key: old` by `key: new` in params.yaml. */
export function setParam(p: PipelineProject, key: string, value: string): void {
  const text = p.read("params.yaml");
  const next = text.replace(new RegExp(`^(\\s*${key}: ).*$`, "m"), `$1${value}`);
  if (next === text) throw new Error(`params.yaml has no ${key}`);
  p.write("params.yaml", next);
}
