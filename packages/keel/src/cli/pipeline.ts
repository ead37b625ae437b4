import type { Command } from "commander";
import { workspaceAt } from "../data/versioning/workspace.js";
import type { CommandCatalog } from "../pipeline/builtin-steps.js";
import { describeReason } from "../pipeline/changed.js";
import { diffMetrics, diffParams, type MetricChange, type ParamChange } from "../pipeline/diff-values.js";
import { openPipeline } from "../pipeline/open-pipeline.js";
import { pipelineStatus } from "../pipeline/pipeline-status.js";
import { dagAscii, dagJson, dagMermaid } from "../pipeline/render-dag.js";
import { diffRevisions, parseRevision, type Revision } from "../pipeline/revision.js";
import { type RunReporter, runPipeline, type StageOutcome } from "../pipeline/run-pipeline.js";
import { metricsAt, paramsAt, type SnapshotContext } from "../pipeline/snapshots.js";
import { Tracker } from "../track/tracker.js";
import { action, collect, examples, intOption } from "./command-kit.js";
import { type CliContext, type StoreOptions, withContext, withStoreOptions } from "./context.js";
import { type Column, formatDuration, printJson, printTable } from "./output.js";

/**
 * `keel run`, `keel status`, `keel dag`, `keel metrics show|diff`, `keel params diff`: the
 * keel.yaml pipeline (see docs/pipelines.md).
 */
export function registerPipelineCommands(program: Command): void {
  registerRun(program);
  registerStatus(program);
  registerDag(program);
  registerMetrics(program);
  registerParams(program);
}

interface JsonOption {
  json?: boolean;
}

/** The keel command tree as the pipeline module sees it (for `uses:` stages). */
export function commandCatalog(root: Command): CommandCatalog {
  return (path) => {
    let cmd: Command | undefined = root;
    for (const name of path) cmd = cmd?.commands.find((c) => c.name() === name);
    if (cmd === undefined || cmd === root) return undefined;
    return {
      args: cmd.registeredArguments.map((a) => ({
        name: a.name(),
        required: a.required,
        variadic: a.variadic,
      })),
      options: cmd.options.flatMap((o) =>
        o.long === undefined
          ? []
          : [
              {
                flag: o.long,
                takesValue: o.required || o.optional,
                negate: o.negate,
                repeatable: o.variadic || o.parseArg === collect,
                mandatory: o.mandatory && o.defaultValue === undefined,
              },
            ],
      ),
    };
  };
}

/** The root program of a command (where the catalog starts). */
function rootOf(cmd: Command): Command {
  let c = cmd;
  while (c.parent !== null) c = c.parent;
  return c;
}

function registerRun(program: Command): void {
  const cmd = withStoreOptions(
    program
      .command("run [stages...]")
      .description(
        "run the keel.yaml pipeline: changed stages and what depends on them, in order; unchanged ones are skipped",
      )
      .option("-f, --force", "run the selected stages even when nothing changed")
      .option("--dry-run", "print what would run and why; run, cache and record nothing")
      .option("-j, --jobs <n>", "stages to run at once when independent", intOption("--jobs", 1), 1)
      .option("-e, --experiment <name>", "experiment of the pipeline run")
      .option("--json", "print the outcome of every stage as JSON"),
  );
  examples(cmd, "keel run", "keel run train --force", "keel run --dry-run", "keel run --jobs 2 --json");
  cmd.action(
    action(
      async (
        targets: string[],
        opts: StoreOptions &
          JsonOption & { force?: boolean; dryRun?: boolean; jobs: number; experiment?: string },
        self: Command,
      ) => {
        const ws = workspaceAt();
        const catalog = commandCatalog(rootOf(self));
        const common = { targets, force: opts.force, catalog, jobs: opts.jobs };
        if (opts.dryRun) {
          const report = await runPipeline(ws, { ...common, dryRun: true });
          if (opts.json) return printJson(report);
          return printPlans(report.stages);
        }
        const report = await withContext(opts, async (ctx) => {
          const tracker = await openTracker(ctx);
          try {
            return await runPipeline(ws, {
              ...common,
              tracker,
              experiment: opts.experiment,
              env: { KEEL_TRACKING_URI: ctx.trackingUri },
              reporter: terminalReporter(opts.jobs),
            });
          } finally {
            await tracker.close();
          }
        });
        for (const w of report.warnings) process.stderr.write(`warning: ${w}\n`);
        if (opts.json) printJson(report);
        else {
          printTable(report.stages, [
            { header: "STAGE", value: (o) => o.name },
            { header: "RESULT", value: (o) => o.result },
            {
              header: "TIME",
              value: (o) => (o.startedAt === undefined ? null : formatDuration(0, o.durationMs)),
              align: "right",
            },
            { header: "WHY", value: (o) => why(o), maxWidth: 70 },
          ]);
          if (report.runId !== null) process.stdout.write(`\npipeline run ${report.runId}\n`);
        }
        if (report.failed.length > 0) {
          const notRun = report.stages.filter((o) => o.result === "not-run").map((o) => o.name);
          const details = report.stages
            .filter((o) => o.result === "failed")
            .map((o) => `stage '${o.name}' failed: ${o.error ?? "unknown error"}`);
          process.stderr.write(
            `error: ${details.join("; ")}${notRun.length ? `; not run: ${notRun.join(", ")}` : ""}\n`,
          );
          process.exitCode = 1;
        }
      },
    ),
  );
}

/** Open a tracker on the command's store (it does not close the store: withContext does). */
function openTracker(ctx: CliContext): Promise<Tracker> {
  return Tracker.open({ store: ctx.store, trackingUri: ctx.trackingUri, cwd: ctx.project.root });
}

function why(o: StageOutcome): string {
  if (o.result === "failed") return o.error ?? "failed";
  if (o.result === "not-run") return `upstream stage '${o.blockedBy}' failed`;
  return o.reasons.map(describeReason).join("; ");
}

/** Per-stage progress on stderr; command output passes through (prefixed when stages run in parallel). */
function terminalReporter(jobs: number): RunReporter {
  const pending = new Map<string, string>();
  const say = (line: string) => process.stderr.write(`${line}\n`);
  return {
    stageStarted(name, act, reasons, i, n) {
      const because = reasons.length ? ` (${reasons.map(describeReason).join("; ")})` : "";
      if (act === "skip") say(`[${i}/${n}] ${name}: ${reasons.length ? `skipped${because}` : "up to date"}`);
      else if (act === "restore") say(`[${i}/${n}] ${name}: restoring outputs from the cache${because}`);
      else say(`[${i}/${n}] ${name}: running${because}`);
    },
    stageFinished(o, i, n) {
      const rest = pending.get(o.name);
      if (rest) say(`${o.name}| ${rest}`);
      pending.delete(o.name);
      if (o.result === "ran") say(`[${i}/${n}] ${o.name}: done in ${formatDuration(0, o.durationMs)}`);
      else if (o.result === "failed") say(`[${i}/${n}] ${o.name}: FAILED: ${o.error ?? ""}`);
      else if (o.result === "not-run")
        say(`[${i}/${n}] ${o.name}: not run (upstream stage '${o.blockedBy}' failed)`);
    },
    output(stage, _stream, chunk) {
      if (jobs <= 1) {
        process.stderr.write(chunk);
        return;
      }
      const text = (pending.get(stage) ?? "") + chunk.toString("utf8");
      const lines = text.split("\n");
      pending.set(stage, lines.pop() ?? "");
      for (const l of lines) say(`${stage}| ${l}`);
    },
  };
}

/** `keel status` / `keel run --dry-run` text. */
function printPlans(stages: readonly StageOutcome[]): void {
  if (stages.length === 0) {
    process.stdout.write("No stages: add some under stages: in keel.yaml (see docs/pipelines.md).\n");
    return;
  }
  for (const o of stages) {
    const frozen = o.reasons.some((r) => r.kind === "frozen");
    const state =
      o.result === "skipped"
        ? frozen
          ? "skipped"
          : "up to date"
        : o.result === "would-restore"
          ? "outputs will be restored from the cache"
          : "will run";
    process.stdout.write(`${o.name}: ${state}\n`);
    for (const r of o.reasons) process.stdout.write(`    ${describeReason(r)}\n`);
  }
}

function registerStatus(program: Command): void {
  const cmd = program
    .command("status [stages...]")
    .description("which pipeline stages would run and why (changed deps, params, command; missing outputs)")
    .option("--json", "print JSON");
  examples(cmd, "keel status", "keel status train --json");
  cmd.action(
    action(async (targets: string[], opts: JsonOption, self: Command) => {
      const plans = await pipelineStatus(workspaceAt(), { targets, catalog: commandCatalog(rootOf(self)) });
      if (opts.json) {
        return printJson(
          plans.map((p) => ({
            stage: p.stage.name,
            action: p.action,
            why: p.reasons.map(describeReason),
            reasons: p.reasons,
          })),
        );
      }
      printPlans(
        plans.map((p) => ({
          name: p.stage.name,
          result: p.action === "run" ? "would-run" : p.action === "restore" ? "would-restore" : "skipped",
          reasons: p.reasons,
          durationMs: 0,
        })),
      );
    }),
  );
}

function registerDag(program: Command): void {
  const cmd = program
    .command("dag")
    .description("draw the pipeline's stage graph (terminal, Mermaid flowchart, or JSON)")
    .option("--mermaid", "print Mermaid `flowchart TD` text (paste into Markdown)")
    .option("--json", "print stages and edges as JSON");
  examples(cmd, "keel dag", "keel dag --mermaid > dag.md", "keel dag --json");
  cmd.action(
    action(async (opts: JsonOption & { mermaid?: boolean }, self: Command) => {
      const { graph } = await openPipeline(workspaceAt(), {
        catalog: commandCatalog(rootOf(self)),
        checkWorkspace: false,
      });
      if (opts.json) return printJson(dagJson(graph));
      process.stdout.write(opts.mermaid ? dagMermaid(graph) : dagAscii(graph));
    }),
  );
}

/** What reading revisions needs; the tracker (for `run:` revisions) is opened on first use. */
async function withSnapshots<T>(
  opts: StoreOptions,
  self: Command,
  revs: readonly string[],
  fn: (ctx: SnapshotContext) => Promise<T>,
): Promise<T> {
  const base = { ws: workspaceAt(), catalog: commandCatalog(rootOf(self)) };
  if (!revs.some((r) => parseRevision(r).kind === "run")) {
    return fn({ ...base, tracker: () => Promise.reject(new Error("no run: revision was given")) });
  }
  return withContext(opts, async (cli) => {
    const tracker = await openTracker(cli);
    try {
      return await fn({ ...base, tracker: async () => tracker });
    } finally {
      await tracker.close();
    }
  });
}

function registerMetrics(program: Command): void {
  const group = program.command("metrics").description("metrics files of pipeline stages: show and compare");
  examples(group, "keel metrics show", "keel metrics diff", "keel metrics diff HEAD~1 run:<RUN_ID>");

  const show = group
    .command("show")
    .description("the values in the metrics files of the pipeline's stages")
    .option("--json", "print {file: {metric: value}} as JSON");
  examples(show, "keel metrics show", "keel metrics show --json");
  show.action(
    action(async (opts: JsonOption, self: Command) => {
      const snap = await withSnapshots({}, self, [], (ctx) => metricsAt(ctx, { kind: "workspace" }));
      if (opts.json) {
        return printJson(Object.fromEntries([...snap.files].map(([f, v]) => [f, Object.fromEntries(v)])));
      }
      const rows = [...snap.files].flatMap(([path, values]) =>
        [...values].map(([key, value]) => ({ path, key, value })),
      );
      printTable(
        rows,
        [
          { header: "PATH", value: (r) => r.path },
          { header: "METRIC", value: (r) => r.key },
          { header: "VALUE", value: (r) => r.value, align: "right" },
        ],
        "No metrics: list metrics files under metrics: in a stage, then keel run.",
      );
    }),
  );

  registerDiff(group, {
    noun: "metrics",
    description:
      "compare metrics between two revisions: git revisions, run:<RUN_ID>, or workspace (default: HEAD vs workspace)",
    examples: ["keel metrics diff", "keel metrics diff HEAD~1", "keel metrics diff main run:<RUN_ID> --json"],
    at: metricsAt,
    diff: diffMetrics,
    json: (r: MetricChange) => ({ old: r.old, new: r.new, change: r.change }),
    columns: (a, b) => [
      { header: "PATH", value: (r: MetricChange) => r.path },
      { header: "METRIC", value: (r) => r.key },
      { header: a, value: (r) => r.old, align: "right" },
      { header: b, value: (r) => r.new, align: "right" },
      { header: "CHANGE", value: (r) => (r.change === null ? null : signed(r.change)), align: "right" },
    ],
  });
}

function registerParams(program: Command): void {
  const group = program.command("params").description("params of pipeline stages (params.yaml and friends)");
  examples(group, "keel params diff", "keel params diff HEAD~1 workspace");
  registerDiff(group, {
    noun: "params",
    description:
      "compare the params stages read between two revisions: git revisions, run:<RUN_ID>, or workspace (default: HEAD vs workspace)",
    examples: ["keel params diff", "keel params diff HEAD~3 HEAD", "keel params diff run:<RUN_ID> --json"],
    at: paramsAt,
    diff: diffParams,
    json: (r: ParamChange) => ({ old: r.old, new: r.new }),
    columns: (a, b) => [
      { header: "PATH", value: (r: ParamChange) => r.path },
      { header: "PARAM", value: (r) => r.key },
      { header: a, value: (r) => r.old },
      { header: b, value: (r) => r.new },
    ],
  });
}

/** How `keel metrics diff` and `keel params diff` differ; everything else they share. */
interface DiffSpec<S extends { label: string }, R extends { path: string; key: string }> {
  readonly noun: "metrics" | "params";
  readonly description: string;
  readonly examples: readonly string[];
  /** The snapshot at a revision. */
  readonly at: (ctx: SnapshotContext, rev: Revision) => Promise<S>;
  /** Rows that changed (all rows with `all`). */
  readonly diff: (a: S, b: S, all?: boolean) => R[];
  /** One row in the `--json` output. */
  readonly json: (r: R) => object;
  /** Table columns, given the two revisions' labels. */
  readonly columns: (a: string, b: string) => Column<R>[];
}

/** `keel <noun> diff [a] [b]`: two revisions read, compared, printed as a table or JSON. */
function registerDiff<S extends { label: string }, R extends { path: string; key: string }>(
  group: Command,
  spec: DiffSpec<S, R>,
): void {
  const diff = withStoreOptions(
    group
      .command("diff [a] [b]")
      .description(spec.description)
      .option("--all", `also list ${spec.noun} that did not change`)
      .option("--json", "print JSON"),
  );
  examples(diff, ...spec.examples);
  diff.action(
    action(
      async (
        a: string | undefined,
        b: string | undefined,
        opts: StoreOptions & JsonOption & { all?: boolean },
        self: Command,
      ) => {
        const [ra, rb] = diffRevisions(a, b);
        const [sa, sb] = await withSnapshots(opts, self, [a ?? "HEAD", b ?? "workspace"], (ctx) =>
          Promise.all([spec.at(ctx, ra), spec.at(ctx, rb)]),
        );
        const rows = spec.diff(sa, sb, opts.all);
        if (opts.json) return printJson({ a: sa.label, b: sb.label, diff: nest(rows, spec.json) });
        const singular = spec.noun === "metrics" ? "metric" : "param";
        printTable(
          rows,
          spec.columns(sa.label, sb.label),
          `No ${singular} changed between ${sa.label} and ${sb.label}.`,
        );
      },
    ),
  );
}

/** Rows as `{path: {key: value}}` (DVC's JSON shape). */
function nest<R extends { path: string; key: string }, V>(
  rows: readonly R[],
  value: (r: R) => V,
): Record<string, Record<string, V>> {
  const out: Record<string, Record<string, V>> = {};
  for (const r of rows) {
    out[r.path] ??= {};
    out[r.path]![r.key] = value(r);
  }
  return out;
}

function signed(n: number): string {
  const s = Number(n.toPrecision(6)).toString();
  return n > 0 ? `+${s}` : s;
}
