import type { Command } from "commander";
import type { ArtifactStore, FileInfo } from "../artifacts/artifact-store.js";
import { invalidParam } from "../errors.js";
import type { Run } from "../store/entities.js";
import type { MetadataStore } from "../store/metadata-store.js";
import { failStaleRuns, findStaleRuns } from "../track/stale-runs.js";
import { parseDuration } from "../util/duration.js";
import { action, collect, examples, intOption } from "./command-kit.js";
import { type StoreOptions, withContext, withStoreOptions } from "./context.js";
import { findExperiment } from "./experiments.js";
import { type Column, formatDuration, formatTime, printFields, printJson, printTable } from "./output.js";

interface ListOptions extends StoreOptions {
  experiment?: string[];
  filter?: string;
  orderBy?: string[];
  max: number;
  pageToken?: string;
  columns?: string;
  all?: boolean;
  json?: boolean;
}

/** `keel runs list|show|compare|delete|restore`. */
export function registerRunsCommands(program: Command): void {
  const group = program.command("runs").description("search, inspect, compare and delete runs");
  examples(
    group,
    `keel runs list --filter "metrics.accuracy > 0.8" --order-by "metrics.accuracy DESC"`,
    "keel runs show 3f2a...",
  );

  const list = withStoreOptions(
    group
      .command("list")
      .description("search runs with MLflow's filter grammar")
      .option("-e, --experiment <nameOrId>", "experiment name or id (repeatable; default: all)", collect)
      .option("-f, --filter <expr>", "e.g. \"metrics.acc > 0.9 and params.model = 'gbdt'\"")
      .option("-o, --order-by <clause>", "e.g. 'metrics.acc DESC' (repeatable)", collect)
      .option("--max <n>", "at most this many runs", intOption("--max", 1), 100)
      .option("--page-token <token>", "continue a previous listing")
      .option("--columns <keys>", "comma-separated metrics.X/params.X/tags.X columns to show")
      .option("--all", "include deleted runs")
      .option("--json", "print JSON (runs and next_page_token)"),
  );
  examples(
    list,
    "keel runs list -e flights-delay",
    `keel runs list --filter "params.model = 'gbdt' and metrics.roc_auc > 0.7" --order-by "metrics.roc_auc DESC"`,
    "keel runs list --columns metrics.accuracy,params.rule --json",
  );
  list.action(
    action(async (opts: ListOptions) => {
      await withContext(opts, async ({ store }) => {
        const experimentIds = await experimentIdsOf(store, opts.experiment);
        const page = await store.searchRuns({
          experimentIds,
          filter: opts.filter,
          orderBy: opts.orderBy,
          maxResults: opts.max,
          pageToken: opts.pageToken,
          runViewType: opts.all ? "ALL" : "ACTIVE_ONLY",
        });
        if (opts.json) return printJson({ runs: page.items, next_page_token: page.nextPageToken ?? null });
        printTable(page.items, runColumns(page.items, opts.columns), "No runs match.");
        if (page.nextPageToken) process.stdout.write(`more: --page-token ${page.nextPageToken}\n`);
      });
    }),
  );

  const show = withStoreOptions(
    group
      .command("show <runId>")
      .description("a run's info, params, metrics, tags, inputs and artifacts")
      .option("--json", "print JSON"),
  );
  examples(show, "keel runs show 3f2a9c1e0b7d4e5f8a6b2c3d4e5f6a7b");
  show.action(
    action(async (runId: string, opts: StoreOptions & { json?: boolean }) => {
      await withContext(opts, async ({ store, artifacts }) => {
        const run = await store.getRun(runId);
        if (opts.json) return printJson(run);
        const i = run.info;
        printFields({
          run: i.runId,
          name: i.runName,
          experiment: i.experimentId,
          status: i.status,
          user: i.userId,
          started: formatTime(i.startTime),
          duration: formatDuration(i.startTime, i.endTime),
          parent: i.parentRunId,
          artifacts: i.artifactUri,
        });
        section("Params");
        printTable(run.data.params, [
          { header: "KEY", value: (p) => p.key },
          { header: "VALUE", value: (p) => p.value, maxWidth: 80 },
        ]);
        section("Metrics (latest)");
        printTable(run.data.metrics, [
          { header: "KEY", value: (m) => m.key },
          { header: "VALUE", value: (m) => m.value, align: "right" },
          { header: "STEP", value: (m) => m.step, align: "right" },
        ]);
        section("Tags");
        printTable(
          run.data.tags.filter((t) => !t.key.startsWith("mlflow.")),
          [
            { header: "KEY", value: (t) => t.key },
            { header: "VALUE", value: (t) => t.value, maxWidth: 80 },
          ],
        );
        section("Dataset inputs");
        printTable(run.inputs.datasetInputs, [
          { header: "NAME", value: (d) => d.dataset.name },
          { header: "VERSION", value: (d) => d.dataset.version },
          { header: "DIGEST", value: (d) => d.dataset.digest.slice(0, 12) },
          { header: "CONTEXT", value: (d) => d.tags.find((t) => t.key === "mlflow.data.context")?.value },
          { header: "SOURCE", value: (d) => d.dataset.source, maxWidth: 60 },
        ]);
        const listing = await listRunArtifacts(artifacts, i.artifactUri);
        if (listing !== null) {
          section("Artifacts");
          printTable(listing, [
            { header: "PATH", value: (f) => (f.isDir ? `${f.path}/` : f.path) },
            { header: "SIZE", value: (f) => f.fileSize, align: "right" },
          ]);
        }
      });
    }),
  );

  const compare = withStoreOptions(
    group
      .command("compare <runIds...>")
      .description("params and metrics of several runs side by side; differences marked with *")
      .option("--json", "print JSON"),
  );
  examples(compare, "keel runs compare 3f2a... 8c1d...");
  compare.action(
    action(async (runIds: string[], opts: StoreOptions & { json?: boolean }) => {
      if (runIds.length < 2) throw invalidParam("compare needs at least two run ids");
      await withContext(opts, async ({ store }) => {
        const runs = await Promise.all(runIds.map((id) => store.getRun(id)));
        const rows = comparisonRows(runs);
        if (opts.json) return printJson({ runs: runs.map((r) => r.info.runId), rows });
        printTable(rows, [
          { header: "", value: (r) => (r.differs ? "*" : "") },
          { header: "KEY", value: (r) => r.key },
          ...runs.map(
            (run, i): Column<ComparisonRow> => ({
              header: run.info.runName || run.info.runId.slice(0, 8),
              value: (r) => r.values[i],
              align: "right",
              maxWidth: 30,
            }),
          ),
        ]);
      });
    }),
  );

  const stale = withStoreOptions(
    group
      .command("fail-stale")
      .description("mark FAILED the RUNNING runs whose process crashed (dead pid on this host)")
      .option("--older-than <duration>", "also any RUNNING run started longer ago than this, e.g. 24h")
      .option("--dry-run", "only list them")
      .option("--json", "print JSON"),
  );
  examples(stale, "keel runs fail-stale", "keel runs fail-stale --older-than 24h --dry-run");
  stale.action(
    action(async (opts: StoreOptions & { olderThan?: string; dryRun?: boolean; json?: boolean }) => {
      const criteria = {
        olderThanMs: opts.olderThan ? parseDuration(opts.olderThan, "--older-than") : undefined,
      };
      await withContext(opts, async ({ store }) => {
        const runs = opts.dryRun
          ? await findStaleRuns(store, criteria)
          : await failStaleRuns(store, criteria);
        const rows = runs.map((s) => ({
          runId: s.run.info.runId,
          runName: s.run.info.runName,
          reason: s.reason,
        }));
        if (opts.json) return printJson({ dryRun: Boolean(opts.dryRun), runs: rows });
        printTable(
          rows,
          [
            { header: "RUN ID", value: (r) => r.runId },
            { header: "NAME", value: (r) => r.runName, maxWidth: 28 },
            { header: "REASON", value: (r) => r.reason },
          ],
          "No stale runs.",
        );
        if (!opts.dryRun && rows.length > 0) process.stdout.write(`Marked ${rows.length} run(s) FAILED\n`);
      });
    }),
  );

  for (const [verb, describe] of [
    ["delete", "soft-delete runs (restore with `keel runs restore`)"],
    ["restore", "restore deleted runs"],
  ] as const) {
    const cmd = withStoreOptions(group.command(`${verb} <runIds...>`).description(describe));
    examples(cmd, `keel runs ${verb} 3f2a9c1e0b7d4e5f8a6b2c3d4e5f6a7b`);
    cmd.action(
      action(async (runIds: string[], opts: StoreOptions) => {
        await withContext(opts, async ({ store }) => {
          for (const id of runIds) {
            await (verb === "delete" ? store.deleteRun(id) : store.restoreRun(id));
            process.stdout.write(`${verb === "delete" ? "Deleted" : "Restored"} run ${id}\n`);
          }
        });
      }),
    );
  }
}

function section(title: string): void {
  process.stdout.write(`\n${title}\n`);
}

/** Resolve experiment names/ids; default: every active experiment. */
export async function experimentIdsOf(store: MetadataStore, names: string[] | undefined): Promise<string[]> {
  if (names && names.length > 0) {
    return Promise.all(names.map(async (n) => (await findExperiment(store, n)).experimentId));
  }
  const all = await store.searchExperiments({ maxResults: 50_000 });
  return all.items.map((e) => e.experimentId);
}

/** Table columns for a run listing: fixed info plus chosen (or the first few) metrics. */
function runColumns(runs: Run[], chosen: string | undefined): Column<Run>[] {
  const base: Column<Run>[] = [
    { header: "RUN ID", value: (r) => r.info.runId },
    { header: "NAME", value: (r) => r.info.runName, maxWidth: 28 },
    { header: "STATUS", value: (r) => r.info.status },
    { header: "STARTED", value: (r) => formatTime(r.info.startTime) },
    { header: "DURATION", value: (r) => formatDuration(r.info.startTime, r.info.endTime), align: "right" },
  ];
  const keys =
    chosen !== undefined
      ? chosen
          .split(",")
          .map((k) => k.trim())
          .filter(Boolean)
      : [...new Set(runs.flatMap((r) => r.data.metrics.map((m) => `metrics.${m.key}`)))]
          .sort((a, b) => secondary(a) - secondary(b) || a.localeCompare(b))
          .slice(0, 5);
  return [...base, ...keys.map((k) => valueColumn(k))];
}

/** Baseline and spread metrics are shown after the model's own scores when columns are picked. */
function secondary(key: string): number {
  return /^metrics\.baseline_|_std$/.test(key) ? 1 : 0;
}

function valueColumn(key: string): Column<Run> {
  const dot = key.indexOf(".");
  const entity = key.slice(0, dot);
  const name = key.slice(dot + 1);
  const pick = (r: Run): string | number | undefined => {
    if (entity === "metrics" || entity === "metric") return r.data.metrics.find((m) => m.key === name)?.value;
    if (entity === "params" || entity === "param") return r.data.params.find((p) => p.key === name)?.value;
    if (entity === "tags" || entity === "tag") return r.data.tags.find((t) => t.key === name)?.value;
    return undefined;
  };
  return { header: name, value: pick, align: entity.startsWith("metric") ? "right" : "left", maxWidth: 24 };
}

/** One line of `runs compare`. */
export interface ComparisonRow {
  key: string;
  values: (string | number | undefined)[];
  differs: boolean;
}

/** Params, then metrics, of several runs aligned by key; `differs` when any two values differ. */
export function comparisonRows(runs: Run[]): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  const add = (prefix: string, keysOf: (r: Run) => Map<string, string | number>) => {
    const maps = runs.map(keysOf);
    const keys = [...new Set(maps.flatMap((m) => [...m.keys()]))].sort();
    for (const k of keys) {
      const values = maps.map((m) => m.get(k));
      rows.push({ key: `${prefix}${k}`, values, differs: new Set(values.map(String)).size > 1 });
    }
  };
  add("params.", (r) => new Map(r.data.params.map((p) => [p.key, p.value])));
  add("metrics.", (r) => new Map(r.data.metrics.map((m) => [m.key, m.value])));
  return rows;
}

/** List a run's artifacts when they live in the local artifact store; null otherwise. */
async function listRunArtifacts(artifacts: ArtifactStore, artifactUri: string): Promise<FileInfo[] | null> {
  const root = artifacts.rootUri.replace(/\/+$/, "");
  if (!artifactUri.startsWith(`${root}/`)) return null;
  return artifacts.list(artifactUri.slice(root.length + 1));
}
