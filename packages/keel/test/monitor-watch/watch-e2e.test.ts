/**
 * End to end, real parts only: the flights model trained on January-March flights, served by an
 * endpoint on 127.0.0.1, fed April-June flights over HTTP with feedback, and watched against its
 * January-March training data.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trainModel } from "../../src/learn/train/train-model.js";
import { Ddm } from "../../src/monitor/detectors/ddm.js";
import { detectAll } from "../../src/monitor/detectors/detect-all.js";
import type { CheckHistory } from "../../src/monitor/watch/check-history.js";
import type { CheckResult } from "../../src/monitor/watch/check-result.js";
import { runWatchCheck } from "../../src/monitor/watch/run-check.js";
import type { WatchConfig } from "../../src/monitor/watch/watch-config.js";
import { watchLoop } from "../../src/monitor/watch/watch-loop.js";
import { loadWatchState, monitorDir } from "../../src/monitor/watch/watch-state.js";
import { createEndpoint } from "../../src/serve/endpoints/endpoint-admin.js";
import {
  type RunningEndpointServer,
  startEndpointServer,
} from "../../src/serve/endpoints/endpoint-server.js";
import { hasEndpointStore } from "../../src/store/endpoint-store.js";
import { makeProject, type Project } from "../learn-train/helpers.js";
import { runKeelInProcess as keel } from "../support/in-process-cli.js";
import {
  appendLineCommand,
  flightsRows,
  type LabelledFlight,
  replay,
  startWebhook,
  type Webhook,
} from "./helpers.js";

let project: Project;
let server: RunningEndpointServer;
let hook: Webhook;
let config: WatchConfig;
let commandLog: string;
const JAN_MAR = "month(date) BETWEEN 1 AND 3";

beforeAll(async () => {
  project = await makeProject();
  const train = join(project.dir, "flights-jan-mar.parquet");
  await flightsRows(JAN_MAR, 74, 0, train); // ~20k rows
  await trainModel(
    { data: train, target: "delayed", model: "gbdt", params: { maxIter: 30 }, register: "flights" },
    { tracker: project.tracker, cwd: project.dir },
  );
  const store = project.tracker.store;
  if (!hasEndpointStore(store)) throw new Error("the test store keeps no endpoints");
  const source = { store, trackingUri: project.trackingUri };
  await createEndpoint(source, "flights", "models:/flights/1", "tester");
  server = await startEndpointServer({
    endpoint: "flights",
    source,
    port: 0,
    logLevel: "silent",
    pollMs: 200,
    predictionLogDir: join(project.dir, ".keel", "predictions", "flights"),
  });
  hook = await startWebhook();
  commandLog = join(project.dir, "retrain.log");
  config = {
    endpoint: "flights",
    reference: train,
    windowMs: 24 * 3600_000,
    windowText: "24h",
    logDir: server.logDir,
    stateDir: monitorDir(project.dir, "flights"),
    projectRoot: project.dir,
    detector: { classification: "ddm", regression: "page-hinkley" },
    alerts: [hook.url],
    alertRetry: { attempts: 3, backoffMs: 50, timeoutMs: 2000 },
    onDrift: appendLineCommand(commandLog),
    modelSource: source,
  };
}, 120_000);

afterAll(async () => {
  await server?.close();
  await hook?.close();
  await project?.close();
});

async function send(rows: LabelledFlight[], prefix: string): Promise<string[]> {
  const predicted = await replay(server.url, "flights", rows, prefix);
  await server.predictionLog?.flush();
  return predicted;
}

const accuracyOf = (rows: readonly LabelledFlight[], predicted: readonly string[]) =>
  rows.filter((r, i) => String(r.delayed) === predicted[i]).length / rows.length;

/** Every labelled outcome of the log in the order the watcher feeds them: 1 = wrong. */
async function errorStream(): Promise<boolean[]> {
  const { DataSession } = await import("../../src/data/engine/duckdb-session.js");
  const { readPredictionsWithFeedback } = await import(
    "../../src/serve/prediction-log/read-prediction-log.js"
  );
  const joined = await readPredictionsWithFeedback(server.logDir);
  const rows = await DataSession.use((s) =>
    s.query(`SELECT json_extract_string(outputs, '$.label') <> json_extract_string(label, '$') AS wrong
      FROM (${joined.sql}) WHERE NOT shadow AND label IS NOT NULL ORDER BY "time", request_id, "row"`),
  );
  return rows.map((r) => r.wrong === true);
}

const lines = async (file: string) =>
  (await readFile(file, "utf8").catch(() => "")).split("\n").filter((l) => l !== "");

describe("watching the flights endpoint", () => {
  const results: CheckResult[] = [];
  let quietAccuracy = 0;
  let worstAccuracy = 0;

  it("a quiet check on January-March traffic: no drift, no alert, no command", async () => {
    // January-March flights the model never saw (training took every 74th row; these are offset).
    const before = await flightsRows(JAN_MAR, 2467, 1200);
    quietAccuracy = accuracyOf(before, await send(before, "jan-mar"));
    const state = await loadWatchState(config.stateDir, "flights");
    const quiet = await runWatchCheck(project.tracker, config, state);
    results.push(quiet);
    expect(quiet.verdict).toBe("no_drift");
    expect(quiet.drift?.datasetDrift).toBe(false);
    expect(quiet.drift?.columns.find((c) => c.column === "month")?.drifted).toBe(false);
    expect(quiet.performance[0]).toMatchObject({
      version: "1",
      predictions: before.length,
      labelled: before.length,
    });
    expect(quiet.concept[0]).toMatchObject({ version: "1", detector: "ddm", fed: before.length, drifts: [] });
    expect(quiet.episode).toBeNull();
    expect(hook.received).toEqual([]);
    expect(await lines(commandLog)).toEqual([]);
  }, 60_000);

  it("April-June traffic drifts: data drift, prediction drift and a concept drift from the accuracy drop", async () => {
    const state = await loadWatchState(config.stateDir, "flights");
    // April-June, as it came (every 1500th flight), then the three April-June days with the
    // most delays (real days: 37-40% delayed against 21% in January-March). The natural
    // April-June stream alone is *easier* for the model (17.9% and 16.1% delayed in April and
    // May), so its accuracy does not drop; the worst days make the drop unmistakable.
    const aprJun = await flightsRows("month(date) BETWEEN 4 AND 6", 1500, 7);
    await send(aprJun, "apr-jun");
    results.push(await runWatchCheck(project.tracker, config, state));
    const worst = await flightsRows("date::DATE IN ('2001-04-06', '2001-06-15', '2001-04-12')", 50, 3);
    worstAccuracy = accuracyOf(worst, await send(worst, "worst"));
    const hit = await runWatchCheck(project.tracker, config, state);
    results.push(hit);
    results.push(await runWatchCheck(project.tracker, config, state)); // nothing new: still drifting

    console.info(
      `accuracy: Jan-Mar holdout ${quietAccuracy.toFixed(3)}, worst Apr-Jun days ${worstAccuracy.toFixed(3)}; ` +
        `drift share ${hit.drift?.shareOfDriftedColumns.toFixed(3)}; DDM drifts at ${hit.concept[0]?.drifts.join(", ")}`,
    );
    expect(worstAccuracy).toBeLessThan(quietAccuracy - 0.1);
    const month = hit.drift?.columns.find((c) => c.column === "month");
    expect(month).toMatchObject({ method: "wasserstein", drifted: true });
    expect(hit.drift?.datasetDrift).toBe(true);
    expect(hit.drift?.predictionDrift).toBe(true);
    const v1 = hit.concept.find((c) => c.version === "1");
    expect(v1?.drifts.length).toBeGreaterThan(0);
    // DDM fires inside the worst days, not on the January-March or natural April-June traffic.
    expect(Math.min(...(v1?.drifts ?? []))).toBeGreaterThanOrEqual(results[1]!.concept[0]!.total);
    expect(hit.performance[0]!.accuracy).toBeLessThan(quietAccuracy);

    const drifting = results.slice(1);
    expect(drifting.map((r) => r.verdict)).toEqual(["drift", "drift", "drift"].slice(0, drifting.length));
    expect(new Set(drifting.map((r) => r.episode?.number))).toEqual(new Set([1]));
    // One alert for the episode, from the check that opened it; the command ran once.
    const opener = drifting.find((r) => r.episodeOpened)!;
    expect(drifting.filter((r) => r.episodeOpened)).toHaveLength(1);
    expect(hook.received).toHaveLength(1);
    const alert = hook.received[0] as Record<string, unknown>;
    expect(alert).toMatchObject({ endpoint: "flights", checkRunId: opener.runId, episode: 1 });
    expect((alert.driftedFeatures as { feature: string }[]).map((f) => f.feature)).toContain("month");
    expect(alert.accuracy).toHaveProperty("1");
    expect(alert.detector).toEqual([expect.objectContaining({ version: "1", type: "ddm" })]);
    expect(await lines(commandLog)).toEqual([opener.runId]);
    expect(drifting.filter((r) => r.command !== null)).toHaveLength(1);
  }, 90_000);

  it("a restarted watcher continues the episode and the detector: no new alert, no new command", async () => {
    // More bad days arrive while the watcher is down.
    const more = await flightsRows("date::DATE IN ('2001-06-14', '2001-06-30')", 40, 11);
    await send(more, "more");
    const fresh = await watchLoop(project.tracker, config, { everyMs: 200, maxChecks: 2 });
    expect(fresh.checks).toBe(2);
    expect(fresh.last?.verdict).toBe("drift");
    expect(fresh.last?.episode).toMatchObject({ number: 1, active: true, alerted: true, commandRan: true });
    expect(hook.received).toHaveLength(1);
    expect(await lines(commandLog)).toHaveLength(1);
    // The detector went on exactly as one that never stopped: same drift indices over the
    // whole stream, fed in the same order.
    const state = await loadWatchState(config.stateDir, "flights");
    const stream = await errorStream();
    expect(state.detectors["1"]!.n).toBe(stream.length);
    expect(state.detectors["1"]!.drifts).toEqual(detectAll(new Ddm(), stream).drifts);
    expect(state.checks).toBe(6);
  }, 60_000);

  it("keel monitor watch --once exits 1 mid-episode without alerting again; keel monitor report shows the history", async () => {
    const home = process.cwd();
    process.chdir(project.dir);
    try {
      const once = await keel([
        "monitor",
        "watch",
        "flights",
        "--reference",
        config.reference,
        "--once",
        "--json",
        "--tracking-uri",
        project.trackingUri,
        "--log-dir",
        server.logDir,
        "--alert",
        `webhook:${hook.url}`,
        "--on-drift",
        appendLineCommand(commandLog),
      ]);
      expect(once.code, once.stderr).toBe(1);
      const line = JSON.parse(once.stdout.trim()) as { verdict: string; step: number; alerts: unknown[] };
      expect(line).toMatchObject({ verdict: "drift", step: 6, alerts: [] });
      expect(hook.received).toHaveLength(1);
      expect(await lines(commandLog)).toHaveLength(1);

      const html = join(project.dir, "monitoring.html");
      const report = await keel([
        "monitor",
        "report",
        "flights",
        "--json",
        "--html",
        html,
        "--tracking-uri",
        project.trackingUri,
      ]);
      expect(report.code, report.stderr).toBe(0);
      const history = JSON.parse(report.stdout) as CheckHistory;
      expect(history.checks.map((c) => c.verdict)).toEqual(["no_drift", ...Array(6).fill("drift")]);
      expect(history.episodes).toEqual([expect.objectContaining({ number: 1, end: null, checks: 6 })]);
      expect(history.checks[0]!.metrics).toMatchObject({
        dataset_drift: 0,
        concept_drift: 0,
        n_predictions: 599,
      });
      expect(history.checks.some((c) => c.metrics.concept_drift === 1)).toBe(true);
      const page = await readFile(html, "utf8");
      expect(page).toContain("<svg");
      expect(page).toContain("Per-feature drift by check");
      expect(page).not.toMatch(/NaN|<script|https?:\/\/(?!127)/);
      const table = await keel(["monitor", "report", "flights", "--tracking-uri", project.trackingUri]);
      expect(table.stdout).toMatch(/TIME\s+VERDICT\s+EPISODE\s+DRIFT SHARE/);
      expect(table.stdout).toMatch(/episode 1: .* ongoing \(6 drifting checks\)/);
    } finally {
      process.chdir(home);
    }
  }, 60_000);

  it("an endpoint with an empty window gives a no_data check (no evidence, no NaN), not an error", async () => {
    const idle = {
      ...config,
      endpoint: "idle",
      logDir: join(project.dir, "no-such-log"),
      stateDir: monitorDir(project.dir, "idle"),
    };
    const state = await loadWatchState(idle.stateDir, "idle");
    const r = await runWatchCheck(project.tracker, idle, state);
    expect(r).toMatchObject({
      verdict: "no_data",
      drift: null,
      performance: [],
      concept: [],
      episode: null,
      alerts: [],
    });
    const run = await project.tracker.store.getRun(r.runId);
    const metrics = Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value]));
    expect(metrics).toEqual({
      drift: 0,
      n_predictions: 0,
      n_labelled: 0,
      n_labelled_new: 0,
      concept_drift: 0,
      concept_warning: 0,
      concept_drift_active: 0,
    });
    expect(run.data.tags).toEqual(
      expect.arrayContaining([
        { key: "keel.drift.episode", value: "none" },
        { key: "keel.drift.verdict", value: "no_data" },
      ]),
    );
  });
});
