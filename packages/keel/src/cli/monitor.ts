import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { invalidParam } from "../errors.js";
import type { DriftReport } from "../monitor/drift/drift-report.js";
import { parsePointInTime } from "../util/duration.js";
import { action, collect, examples } from "./command-kit.js";
import { type StoreOptions, withStoreOptions } from "./context.js";
import { registerMonitorDetect } from "./monitor-detect.js";
import { registerMonitorWatch } from "./monitor-watch.js";
import { printJson, renderTable } from "./output.js";

/**
 * Adds the `keel monitor` group to `program` and returns it, so other monitoring commands
 * (`detect`, `watch`, `report`) register on the same group: `registerMonitorDetect(monitorGroup)`.
 */
export function registerMonitorCommands(program: Command): Command {
  const monitor = program
    .command("monitor")
    .description("monitoring: data and prediction drift, concept-drift detectors, scheduled checks");
  registerMonitorDrift(monitor);
  registerMonitorDetect(monitor);
  registerMonitorWatch(monitor);
  return monitor;
}

interface DriftCliOptions extends StoreOptions {
  reference: string;
  current: string;
  since?: string;
  until?: string;
  columns?: string;
  method?: string[];
  threshold?: string[];
  driftShare?: number;
  target?: string;
  json?: boolean;
  html?: string;
}

const ENDPOINT_PREFIX = "endpoint:";

/** `keel monitor drift`: exit 0 without dataset drift, 1 with it, 2/4 on bad input. */
export function registerMonitorDrift(monitor: Command): Command {
  const cmd = withStoreOptions(
    monitor
      .command("drift")
      .description(
        "compare current data (a file or an endpoint's prediction log) with a reference, column by column, with Evidently's default tests; exit 1 on dataset drift",
      )
      .requiredOption("--reference <ref>", "reference data: NAME@N, NAME@latest or a file")
      .requiredOption("--current <source>", "current data: a file, or endpoint:NAME (its prediction log)")
      .option("--since <time>", "endpoint only: predictions newer than a duration ago (24h) or an ISO time")
      .option("--until <time>", "endpoint only: predictions older than a duration ago or an ISO time")
      .option(
        "--columns <list>",
        "comma-separated columns to compare (default: all common, datetimes excepted)",
      )
      .option(
        "--method <col=name>",
        "test for a column: ks, wasserstein, chisquare, z, jensenshannon, psi, kl_div, hellinger (repeatable)",
        collect,
      )
      .option("--threshold <col=value>", "threshold for a column (repeatable)", collect)
      .option(
        "--drift-share <share>",
        "share of drifted features that means dataset drift (default 0.5)",
        shareOption,
      )
      .option("--target <col>", "the ground-truth column (compared with endpoint feedback labels)")
      .option("--json", "print the report as JSON")
      .option("--html <file>", "write a self-contained HTML report"),
  );
  examples(
    cmd,
    "keel monitor drift --reference flights@1 --current data/april.parquet",
    "keel monitor drift --reference data/train.parquet --current endpoint:flights --since 24h --html drift.html",
    "keel monitor drift --reference train.csv --current today.csv --method distance=psi --threshold distance=0.2 --json",
  );
  cmd.action(action((opts: DriftCliOptions) => runDrift(opts)));
  return cmd;
}

function shareOption(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n <= 1)) throw new InvalidArgumentError(`--drift-share must be in (0, 1], got '${value}'`);
  return n;
}

/** `col=value` pairs of a repeatable option. */
function assignments(option: string, entries: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries ?? []) {
    const eq = entry.lastIndexOf("=");
    if (eq <= 0 || eq === entry.length - 1) {
      throw invalidParam(
        `Invalid ${option} '${entry}': expected COLUMN=VALUE, e.g. ${option} distance=${option === "--method" ? "psi" : "0.2"}`,
      );
    }
    out[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return out;
}

function thresholdsOf(entries: readonly string[] | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [col, text] of Object.entries(assignments("--threshold", entries))) {
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0)
      throw invalidParam(`Invalid --threshold ${col}=${text}: the threshold must be a number >= 0`);
    out[col] = n;
  }
  return out;
}

/** A duration ago (`24h`) or an ISO time, as epoch ms. */

// Model outputs by the names `keel predict` and the prediction log use.
const isPredictionColumn = (name: string) =>
  name === "prediction" || name === "label" || name.startsWith("proba_");

async function runDrift(opts: DriftCliOptions): Promise<void> {
  const endpoint = opts.current.startsWith(ENDPOINT_PREFIX)
    ? opts.current.slice(ENDPOINT_PREFIX.length)
    : undefined;
  if (endpoint === "")
    throw invalidParam("--current endpoint: needs a name, e.g. --current endpoint:flights");
  if (endpoint === undefined && (opts.since !== undefined || opts.until !== undefined)) {
    throw invalidParam(
      "--since and --until select a time window of a prediction log: use them with --current endpoint:NAME",
    );
  }
  const now = Date.now();
  const since = parsePointInTime("--since", opts.since, now);
  const until = parsePointInTime("--until", opts.until, now);
  const [{ DataSession }, { computeDrift }, { openDatasetRef }] = await Promise.all([
    import("../data/engine/duckdb-session.js"),
    import("../monitor/drift/compute-drift.js"),
    import("../monitor/drift/dataset-source.js"),
  ]);
  // A progress line only when the work takes long enough to wonder about.
  const started = Date.now();
  let shown = false;
  const onProgress = (done: number, total: number, column: string) => {
    if (process.stderr.isTTY !== true || Date.now() - started < 2000) return;
    shown = true;
    process.stderr.write(`\rdrift ${done}/${total} ${column.slice(0, 40).padEnd(40)}`);
  };
  const report = await DataSession.use(async (session) => {
    let closeStore: (() => Promise<void>) | undefined;
    try {
      const reference = await openDatasetRef(session, opts.reference, async () => {
        const { openCliContext } = await import("./context.js");
        const ctx = await openCliContext(opts);
        closeStore = () => ctx.close();
        return ctx.store;
      });
      let current: string;
      let roles: Record<string, "prediction" | "target"> = {};
      if (endpoint !== undefined) {
        const [{ endpointRelation }, { defaultPredictionLogDir }] = await Promise.all([
          import("../monitor/drift/endpoint-source.js"),
          import("../serve/start-model-server.js"),
        ]);
        const rel = await endpointRelation(session, defaultPredictionLogDir(endpoint), {
          since,
          until,
          referenceColumns: await session.describe(reference),
          target: opts.target,
        });
        if (rel.files.length === 0) {
          throw invalidParam(
            `No prediction log for endpoint '${endpoint}' under ${defaultPredictionLogDir(endpoint)}; serve it with logging on first`,
          );
        }
        current = rel.sql;
        roles = { ...rel.roles };
      } else current = await session.relationFrom(opts.current);
      const columns = opts.columns
        ?.split(",")
        .map((c) => c.trim())
        .filter((c) => c !== "");
      const refNames = (await session.describe(reference)).map((c) => c.name);
      for (const name of refNames)
        if (isPredictionColumn(name) && roles[name] === undefined) roles[name] = "prediction";
      if (opts.target !== undefined) {
        if (!refNames.includes(opts.target))
          throw invalidParam(
            `--target '${opts.target}' is not a column of the reference; columns: ${refNames.join(", ")}`,
          );
        roles[opts.target] = "target";
      }
      return await computeDrift(session, reference, current, {
        columns,
        methods: assignments("--method", opts.method),
        thresholds: thresholdsOf(opts.threshold),
        driftShare: opts.driftShare,
        roles,
        onProgress,
      });
    } finally {
      if (shown) process.stderr.write("\r\x1b[K");
      await closeStore?.();
    }
  });
  if (opts.html !== undefined) {
    const [{ driftHtml }, { writeTextFile }] = await Promise.all([
      import("../monitor/drift/drift-html.js"),
      import("../data/engine/atomic-output.js"),
    ]);
    const window = endpoint === undefined ? "" : ` (${opts.since ?? "start"} – ${opts.until ?? "now"})`;
    await writeTextFile(
      opts.html,
      driftHtml(report, { reference: opts.reference, current: `${opts.current}${window}` }),
    );
  }
  if (opts.json) printJson(report);
  else printDriftReport(report);
  process.exitCode = report.datasetDrift ? 1 : 0;
}

const fmt = (x: number | null) =>
  x === null ? "-" : Number.isFinite(x) ? Number(x.toPrecision(4)) : String(x);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The report as a terminal table and a verdict line. */
export function printDriftReport(report: DriftReport): void {
  const table = renderTable(report.columns, [
    { header: "COLUMN", value: (c) => c.column, maxWidth: 32 },
    { header: "ROLE", value: (c) => (c.role === "feature" ? "" : c.role) },
    { header: "TYPE", value: (c) => c.kind.slice(0, 3) },
    { header: "METHOD", value: (c) => c.method ?? "-" },
    { header: "SCORE", value: (c) => fmt(c.score), align: "right" },
    { header: "THRESHOLD", value: (c) => fmt(c.threshold), align: "right" },
    { header: "DRIFT", value: (c) => (c.score === null ? "n/a" : c.drifted ? "DRIFT" : "no") },
    {
      header: "MISSING REF/CUR",
      value: (c) => `${pct(c.reference.missingShare)}/${pct(c.current.missingShare)}`,
      align: "right",
    },
    {
      header: "NEW CATEGORIES",
      value: (c) =>
        c.newCategoryCount === 0
          ? ""
          : `${c.newCategoryCount}: ${c.newCategories
              .slice(0, 3)
              .map((n) => n.value)
              .join(", ")}`,
      maxWidth: 30,
    },
  ]);
  const lines = [table, ""];
  for (const s of report.skipped) lines.push(`skipped ${s.column}: ${s.reason}`);
  if (report.onlyInReference.length > 0)
    lines.push(`only in the reference: ${report.onlyInReference.join(", ")}`);
  if (report.onlyInCurrent.length > 0)
    lines.push(`only in the current data: ${report.onlyInCurrent.join(", ")}`);
  if (report.predictionDrift !== null)
    lines.push(`prediction drift: ${report.predictionDrift ? "yes" : "no"}`);
  if (report.targetDrift !== null) lines.push(`target drift: ${report.targetDrift ? "yes" : "no"}`);
  lines.push(
    `${report.datasetDrift ? "DATASET DRIFT" : "no dataset drift"}: ${report.numberOfDriftedColumns} of ${report.numberOfColumns} features drifted (${pct(report.shareOfDriftedColumns)}, threshold ${pct(report.driftShare)}); reference ${report.referenceRows} rows, current ${report.currentRows} rows`,
  );
  process.stdout.write(`${lines.join("\n")}\n`);
}
