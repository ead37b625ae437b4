/**
 * `keel monitor watch` (scheduled drift checks of an endpoint, alerts, retraining) and
 * `keel monitor report` (drift and performance over time from the recorded checks).
 * Registered on the `monitor` group.
 */
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { invalidParam } from "../errors.js";
import type { CheckHistory } from "../monitor/watch/check-history.js";
import type { CheckResult } from "../monitor/watch/check-result.js";
import { parseDuration, parsePointInTime } from "../util/duration.js";
import { action, collect, examples, intOption } from "./command-kit.js";
import { type StoreOptions, withStoreOptions } from "./context.js";
import { parseDetectorParams } from "./monitor-detect.js";
import { printJson, renderTable } from "./output.js";

/** Registers `watch` and `report` on the `monitor` group. */
export function registerMonitorWatch(monitor: Command): void {
  registerWatch(monitor);
  registerReport(monitor);
}

interface WatchFlags extends StoreOptions {
  every: string;
  window: string;
  reference: string;
  alert?: string[];
  onDrift?: string;
  onDriftTimeout?: string;
  detector?: string;
  param?: string[];
  recovery?: number;
  target?: string;
  driftShare?: number;
  logDir?: string;
  alertAttempts?: number;
  alertTimeout?: string;
  once?: boolean;
  maxChecks?: number;
  json?: boolean;
}

const WEBHOOK = "webhook:";

function shareOption(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n <= 1)) throw new InvalidArgumentError(`--drift-share must be in (0, 1], got '${value}'`);
  return n;
}

/** `webhook:URL` targets as URLs. */
function webhookUrls(targets: readonly string[]): string[] {
  return targets.map((t) => {
    const url = t.startsWith(WEBHOOK) ? t.slice(WEBHOOK.length) : "";
    if (!/^https?:\/\/[^\s]+$/.test(url)) {
      throw invalidParam(
        `Invalid --alert '${t}': use webhook:URL, e.g. --alert webhook:https://hooks.example.com/keel`,
      );
    }
    return url;
  });
}

function registerWatch(monitor: Command): void {
  const cmd = withStoreOptions(
    monitor
      .command("watch")
      .argument("<endpoint>", "endpoint (or served model) whose prediction log is watched")
      .description(
        "check an endpoint for data, prediction and concept drift on a schedule; each check is a tracked run; alert and retrain once per drift episode",
      )
      .requiredOption(
        "--reference <ref>",
        "reference data: NAME@N, NAME@latest or a file (e.g. the training set)",
      )
      .option("--every <duration>", "time between checks (the first runs at once)", "1h")
      .option("--window <duration>", "each check reads the predictions of this last period", "24h")
      .option(
        "--alert <target>",
        "webhook:URL alerted (JSON POST) once per drift episode (repeatable)",
        collect,
      )
      .option("--on-drift <command>", "shell command run once per drift episode, in the project root")
      .option("--on-drift-timeout <duration>", "kill the --on-drift command after this long")
      .option(
        "--detector <name>",
        "concept-drift detector: ddm (default, on 0/1 errors), eddm, hddm-a, adwin, page-hinkley (default for regressors), kswin",
      )
      .option("--param <key=value>", "detector parameter (repeatable)", collect)
      .option(
        "--recovery <n>",
        "labelled predictions without a warning or drift after which a version's concept drift is over (default 500)",
        intOption("--recovery", 1),
      )
      .option(
        "--target <col>",
        "reference column holding the truth, compared with feedback labels (target drift)",
      )
      .option(
        "--drift-share <share>",
        "share of drifted features that means dataset drift (default 0.5)",
        shareOption,
      )
      .option("--log-dir <dir>", "prediction log folder (default .keel/predictions/<endpoint>)")
      .option(
        "--alert-attempts <n>",
        "attempts per alert, the first included (default 4)",
        intOption("--alert-attempts", 1),
      )
      .option("--alert-timeout <duration>", "timeout of each alert attempt (default 10s)")
      .option("--once", "run one check and exit: 1 when it found drift, 0 otherwise (for cron and CI)")
      .option("--max-checks <n>", "stop after this many checks", intOption("--max-checks", 1))
      .option("--json", "print one JSON line per check"),
  );
  examples(
    cmd,
    "keel monitor watch flights --reference flights@1 --every 1h --window 24h --alert webhook:https://hooks.example.com/keel",
    'keel monitor watch flights --reference data/train.parquet --on-drift "keel run retrain" --target delayed',
    "keel monitor watch flights --reference flights@1 --once --json   # cron: exit 1 on drift",
  );
  cmd.action(action((endpoint: string, flags: WatchFlags) => runWatch(endpoint, flags)));
}

async function runWatch(endpoint: string, flags: WatchFlags): Promise<void> {
  const everyMs = parseDuration(flags.every, "--every");
  const windowMs = parseDuration(flags.window, "--window");
  if (everyMs <= 0 || windowMs <= 0)
    throw invalidParam("--every and --window must be longer than 0, e.g. --every 1h --window 24h");
  const alerts = webhookUrls(flags.alert ?? []);
  const classification = flags.detector ?? "ddm";
  const [{ detectorInfo }, { loadProject }, { defaultPredictionLogDir }, { Tracker }, watch, { resolve }] =
    await Promise.all([
      import("../monitor/detectors/registry.js"),
      import("../project/keel-config.js"),
      import("../serve/start-model-server.js"),
      import("../track/tracker.js"),
      import("../monitor/watch/index.js"),
      import("node:path"),
    ]);
  // A binary detector cannot read a regressor's errors: regressors then keep Page-Hinkley.
  const regression = detectorInfo(classification).binary ? "page-hinkley" : classification;
  const params = parseDetectorParams(classification, flags.param ?? []);
  const project = loadProject();
  const tracker = await Tracker.open({ trackingUri: flags.trackingUri, handleProcessExit: false });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const config = {
      endpoint,
      reference: flags.reference,
      windowMs,
      windowText: flags.window,
      logDir:
        flags.logDir === undefined ? defaultPredictionLogDir(endpoint, project.root) : resolve(flags.logDir),
      stateDir: watch.monitorDir(project.root, endpoint),
      projectRoot: project.root,
      target: flags.target,
      driftShare: flags.driftShare,
      detector: { classification, regression, params, recovery: flags.recovery },
      alerts,
      alertRetry: {
        attempts: flags.alertAttempts,
        timeoutMs:
          flags.alertTimeout === undefined ? undefined : parseDuration(flags.alertTimeout, "--alert-timeout"),
      },
      onDrift: flags.onDrift,
      onDriftTimeoutMs:
        flags.onDriftTimeout === undefined
          ? undefined
          : parseDuration(flags.onDriftTimeout, "--on-drift-timeout"),
      modelSource: { store: tracker.store, trackingUri: tracker.trackingUri },
    };
    const summary = await watch.watchLoop(tracker, config, {
      everyMs,
      maxChecks: flags.once ? 1 : flags.maxChecks,
      signal: stop.signal,
      onCheck: (r) =>
        flags.json ? process.stdout.write(`${JSON.stringify(checkJson(r))}\n`) : printCheck(r),
      onError: (e) => process.stderr.write(`check failed (the watch goes on): ${(e as Error).message}\n`),
    });
    if (flags.once) process.exitCode = summary.last?.verdict === "drift" ? 1 : 0;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await tracker.close();
  }
}

/** A check as one JSON line: the drift report reduced to its verdict and drifted columns. */
function checkJson(r: CheckResult): object {
  const { drift, ...rest } = r;
  return {
    ...rest,
    time: new Date(r.time).toISOString(),
    since: new Date(r.since).toISOString(),
    datasetDrift: drift?.datasetDrift ?? null,
    driftShare: drift?.shareOfDriftedColumns ?? null,
    predictionDrift: drift?.predictionDrift ?? null,
    targetDrift: drift?.targetDrift ?? null,
    columns: (drift?.columns ?? []).map((c) => ({
      column: c.column,
      role: c.role,
      method: c.method,
      score: c.score,
      drifted: c.drifted,
    })),
    command: r.command === null ? null : { ...r.command, output: r.command.output.slice(-2000) },
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** One line per check (two when it acted). */
function printCheck(r: CheckResult): void {
  const d = r.drift;
  const data =
    d === null
      ? "empty window"
      : `drift share ${pct(d.shareOfDriftedColumns)} (${
          d.columns
            .filter((c) => c.role === "feature" && c.drifted)
            .map((c) => c.column)
            .join(", ") || "none"
        })${d.datasetDrift ? " DATASET DRIFT" : ""}${d.predictionDrift ? ", prediction drift" : ""}`;
  const perf = r.performance
    .map(
      (p) =>
        `v${p.version} ${p.accuracy !== null ? `acc ${p.accuracy.toFixed(3)}${p.auc !== null ? ` auc ${p.auc.toFixed(3)}` : ""}` : p.mae !== null ? `mae ${p.mae.toPrecision(4)}` : "no labels"} (${p.labelled}/${p.predictions})`,
    )
    .join(", ");
  const concept = r.concept
    .filter((c) => c.active || c.drifts.length > 0)
    .map(
      (c) =>
        `v${c.version} ${c.detector}${c.drifts.length > 0 ? ` drift at ${c.drifts.join(", ")}` : " (active)"}`,
    )
    .join(", ");
  const episode =
    r.episode === null
      ? ""
      : r.episodeOpened
        ? ` | episode ${r.episode.number} OPENED`
        : r.episodeClosed
          ? ` | episode ${r.episode.number} closed`
          : r.episode.active
            ? ` | episode ${r.episode.number}`
            : "";
  const lines = [
    `${new Date(r.time).toISOString()} check ${r.step} (run ${r.runId.slice(0, 8)}): ${r.verdict.replace("_", " ")} | ${data}${perf ? ` | ${perf}` : ""}${concept ? ` | concept drift: ${concept}` : ""}${episode}`,
  ];
  for (const a of r.alerts)
    lines.push(
      `  alert ${a.url}: ${a.delivered ? "delivered" : `NOT delivered (${a.error})`} after ${a.attempts} attempt(s)`,
    );
  if (r.command !== null)
    lines.push(
      `  --on-drift exited ${r.command.exitCode ?? r.command.signal} after ${r.command.durationMs} ms (output: artifact on-drift.log)`,
    );
  process.stdout.write(`${lines.join("\n")}\n`);
}

interface ReportFlags extends StoreOptions {
  from?: string;
  to?: string;
  html?: string;
  json?: boolean;
}

/** A duration ago (`7d`) or an ISO time, as epoch ms. */

function registerReport(monitor: Command): void {
  const cmd = withStoreOptions(
    monitor
      .command("report")
      .argument("<endpoint>", "endpoint watched by keel monitor watch")
      .description(
        "drift and performance over time, from the recorded watch checks: a table, JSON or one HTML file",
      )
      .option("--from <time>", "first check: a duration ago (7d) or an ISO time")
      .option("--to <time>", "last check: a duration ago or an ISO time")
      .option("--html <file>", "write a self-contained HTML report")
      .option("--json", "print the checks and episodes as JSON"),
  );
  examples(
    cmd,
    "keel monitor report flights --from 7d",
    "keel monitor report flights --from 2024-05-01T00:00:00Z --to 2024-06-01T00:00:00Z --html flights-monitoring.html",
  );
  cmd.action(
    action(async (endpoint: string, flags: ReportFlags) => {
      const now = Date.now();
      const from = parsePointInTime("--from", flags.from, now);
      const to = parsePointInTime("--to", flags.to, now);
      const [{ withContext }, { readCheckHistory, monitorReportHtml }, { writeTextFile }] = await Promise.all(
        [
          import("./context.js"),
          import("../monitor/watch/index.js"),
          import("../data/engine/atomic-output.js"),
        ],
      );
      const history = await withContext(flags, (ctx) => readCheckHistory(ctx.store, endpoint, { from, to }));
      if (flags.html !== undefined) await writeTextFile(flags.html, monitorReportHtml(history));
      if (flags.json) printJson(history);
      else printHistory(history);
    }),
  );
}

function printHistory(h: CheckHistory): void {
  const n = (x: number | undefined, digits = 3) => (x === undefined ? null : Number(x.toFixed(digits)));
  const versions = [
    ...new Set(
      h.checks.flatMap((c) => Object.keys(c.metrics).filter((k) => /^(accuracy|auc|mae)\./.test(k))),
    ),
  ].sort();
  const table = renderTable(h.checks, [
    { header: "TIME", value: (c) => new Date(c.time).toISOString().replace(/\.\d+Z$/, "Z") },
    { header: "VERDICT", value: (c) => c.verdict ?? c.status },
    { header: "EPISODE", value: (c) => c.episode },
    { header: "DRIFT SHARE", value: (c) => n(c.metrics.drift_share), align: "right" },
    {
      header: "DRIFTED",
      value: (c) =>
        Object.keys(c.metrics)
          .filter((k) => k.startsWith("drift.") && c.metrics[k] === 1)
          .map((k) => k.slice(6))
          .join(","),
      maxWidth: 40,
    },
    {
      header: "PRED DRIFT",
      value: (c) =>
        c.metrics.prediction_drift === undefined ? null : c.metrics.prediction_drift === 1 ? "yes" : "no",
    },
    ...versions.map((v) => ({
      header: v.toUpperCase(),
      value: (c: (typeof h.checks)[number]) => n(c.metrics[v]),
      align: "right" as const,
    })),
    {
      header: "CONCEPT",
      value: (c) =>
        c.metrics.concept_drift === 1
          ? "drift"
          : c.metrics.concept_drift_active === 1
            ? "active"
            : c.metrics.concept_warning === 1
              ? "warning"
              : "",
    },
    { header: "LABELLED", value: (c) => c.metrics.n_labelled, align: "right" },
  ]);
  const episodes = h.episodes
    .map(
      (e) =>
        `episode ${e.number}: ${new Date(e.start).toISOString()} – ${e.end === null ? "ongoing" : new Date(e.end).toISOString()} (${e.checks} drifting checks)`,
    )
    .join("\n");
  process.stdout.write(
    `${h.checks.length === 0 ? `no checks of '${h.endpoint}' in this range (experiment ${h.experiment})` : table}\n${episodes ? `${episodes}\n` : ""}`,
  );
}
