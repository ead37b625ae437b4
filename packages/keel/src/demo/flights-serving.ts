/**
 * The deployment half of the demo, on flights (DESIGN.md's demo data): a gradient-boosting model
 * of "delayed more than 15 minutes" trained on January-March is registered as champion and
 * served behind the endpoint `flights`; April-June flights are replayed through it over HTTP
 * (Open Inference Protocol), each answer followed by its true label as feedback; then the
 * endpoint is checked by `keel monitor watch` — data drift against the training data, concept
 * drift from the feedback — and a drift episode runs the retraining command once. Flights drift
 * by month, so the monitor has something real to find.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DataSession } from "../data/engine/duckdb-session.js";
import { sqlString } from "../data/engine/sql-text.js";
import { flightsFeaturesSql } from "../datasets/flights.js";
import { vegaDatasetPath } from "../datasets/vega-datasets.js";
import { invalidParam } from "../errors.js";
import { driftHtml } from "../monitor/drift/drift-html.js";
import { createEndpoint } from "../serve/endpoints/endpoint-admin.js";
import { startEndpointServer } from "../serve/endpoints/endpoint-server.js";
import { hasEndpointStore } from "../store/endpoint-store.js";
import type { Tracker } from "../track/tracker.js";

/** Registered model and endpoint name of the flights part of the demo. */
export const FLIGHTS_MODEL = "flights";

/** What {@link serveAndMonitorFlights} produced. */
export interface FlightsServing {
  /** Training rows (January-March sample) and the model's ROC-AUC on a March holdout. */
  trainRows: number;
  holdoutRocAuc: number;
  version: string;
  endpointUrl: string;
  /** Requests replayed (April-June), answered, and their median latency. */
  requests: number;
  answered: number;
  p50Ms: number;
  /** Accuracy of the served answers against the feedback labels. */
  servedAccuracy: number;
  /** Drift of the served traffic against the training data. */
  datasetDrift: boolean;
  driftedFeatures: string[];
  driftShare: number;
  driftReport: string;
  predictionLogDir: string;
  /** The tracked monitoring check, its verdict, and whether it ran the retraining command. */
  checkRunId: string;
  verdict: string;
  retrained: boolean;
}

const FEATURES = ["month", "day_of_week", "hour", "distance", "origin", "destination"] as const;

/** Trains, registers, serves, replays with feedback, and checks drift; see the module comment. */
export async function serveAndMonitorFlights(
  tracker: Tracker,
  dir: string,
  options: { requests?: number; trainRows?: number } = {},
): Promise<FlightsServing> {
  const requests = options.requests ?? 600;
  const trainRows = options.trainRows ?? 20_000;
  const files = {
    train: join(dir, "data", "flights-jan-mar.parquet"),
    replay: join(dir, "data", "flights-apr-jun.parquet"),
  };
  mkdirSync(join(dir, "data"), { recursive: true });
  await DataSession.use(async (s) => {
    const rel = await s.relationFrom(vegaDatasetPath("flights-3m.parquet"));
    const write = (sql: string, path: string) => s.run(`COPY (${sql}) TO ${sqlString(path)}`);
    await write(
      flightsFeaturesSql(rel, { where: "month(date) <= 3", sample: { rows: trainRows, seed: 0 } }),
      files.train,
    );
    await write(
      flightsFeaturesSql(rel, { where: "month(date) BETWEEN 4 AND 6", sample: { rows: requests, seed: 1 } }),
      files.replay,
    );
  });

  const { trainModel } = await import("../learn/train/train-model.js");
  const trained = await trainModel(
    {
      data: files.train,
      target: "delayed",
      model: "gbdt",
      params: { maxIter: 100 },
      experiment: "flights",
      runName: "gbdt-jan-mar",
      register: FLIGHTS_MODEL,
      alias: "champion",
    },
    { tracker, cwd: dir },
  );
  const version = trained.registered!.version;

  const store = tracker.store;
  if (!hasEndpointStore(store)) throw invalidParam("The demo store keeps no endpoints");
  const source = { store, trackingUri: tracker.trackingUri };
  const existing = await store.listEndpoints();
  if (!existing.some((e) => e.name === FLIGHTS_MODEL)) {
    await createEndpoint(source, FLIGHTS_MODEL, `models:/${FLIGHTS_MODEL}/${version}`, "keel-demo");
  }
  const predictionLogDir = join(dir, ".keel", "predictions", FLIGHTS_MODEL);
  const server = await startEndpointServer({
    endpoint: FLIGHTS_MODEL,
    source,
    host: "127.0.0.1",
    port: 0,
    logLevel: "silent",
    predictionLogDir,
    projectRoot: dir,
  });
  let replay: { answered: number; correct: number; latencies: number[] };
  try {
    replay = await replayWithFeedback(server.url, files.replay);
  } finally {
    await server.close();
  }

  // One check of `keel monitor watch`: data drift against the training data, concept drift from
  // the feedback, a tracked check run, and on a new drift episode the retraining command (once).
  const keelCli = fileURLToPath(new URL("../cli/main.js", import.meta.url));
  const retrain = [
    JSON.stringify(process.execPath),
    JSON.stringify(keelCli),
    "train --data data/flights-apr-jun.parquet --target delayed --model gbdt --experiment flights",
    `--run-name retrain-on-drift --register ${FLIGHTS_MODEL} --alias challenger --json > reports/retrain.json`,
  ].join(" ");
  mkdirSync(join(dir, "reports"), { recursive: true });
  const { monitorDir, watchLoop } = await import("../monitor/watch/index.js");
  const watched = await watchLoop(
    tracker,
    {
      endpoint: FLIGHTS_MODEL,
      reference: files.train,
      windowMs: 24 * 3_600_000,
      windowText: "24h",
      logDir: predictionLogDir,
      stateDir: monitorDir(dir, FLIGHTS_MODEL),
      projectRoot: dir,
      target: "delayed",
      detector: { classification: "ddm", regression: "page-hinkley" },
      onDrift: retrain,
      modelSource: source,
    },
    { everyMs: 0, maxChecks: 1 },
  );
  const check = watched.last!;
  const drift = check.drift!;
  const driftReport = join(dir, "reports", "flights-drift.html");
  writeFileSync(
    driftReport,
    driftHtml(drift, { reference: files.train, current: `endpoint:${FLIGHTS_MODEL}` }),
  );
  const sorted = [...replay.latencies].sort((a, b) => a - b);
  return {
    trainRows,
    holdoutRocAuc: trained.metrics.test_roc_auc ?? Number.NaN,
    version,
    endpointUrl: server.url,
    requests,
    answered: replay.answered,
    p50Ms: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
    servedAccuracy: replay.answered === 0 ? Number.NaN : replay.correct / replay.answered,
    datasetDrift: drift.datasetDrift,
    driftedFeatures: drift.columns.filter((c) => c.role === "feature" && c.drifted).map((c) => c.column),
    driftShare: drift.shareOfDriftedColumns,
    driftReport,
    predictionLogDir,
    checkRunId: check.runId,
    verdict: check.verdict,
    retrained: check.command !== null,
  };
}

/**
 * Sends every row of `file` as a single-row V2 request (8 at a time), then the row's true label
 * to the feedback route, as a client application would once the flight has landed.
 */
async function replayWithFeedback(
  url: string,
  file: string,
): Promise<{ answered: number; correct: number; latencies: number[] }> {
  const rows = await DataSession.use(async (s) => s.query(`SELECT * FROM ${await s.relationFrom(file)}`));
  let next = 0;
  let answered = 0;
  let correct = 0;
  const latencies: number[] = [];
  const client = async () => {
    while (next < rows.length) {
      const i = next++;
      const row = rows[i]!;
      const started = performance.now();
      const res = await fetch(`${url}/v2/models/${FLIGHTS_MODEL}/infer`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          id: `demo-${i}`,
          inputs: FEATURES.map((name) => ({
            name,
            shape: [1],
            datatype: name === "origin" || name === "destination" ? "BYTES" : "FP64",
            data: [typeof row[name] === "bigint" ? Number(row[name]) : row[name]],
          })),
        }),
      });
      const body = (await res.json()) as { outputs?: { name: string; data: unknown[] }[]; error?: string };
      if (res.status !== 200) throw new Error(`The endpoint answered ${res.status}: ${body.error}`);
      latencies.push(performance.now() - started);
      answered++;
      const truth = Number(row.delayed);
      const label = Number(body.outputs?.find((o) => o.name === "label")?.data[0]);
      if (label === truth) correct++;
      const fb = await fetch(`${url}/v2/models/${FLIGHTS_MODEL}/feedback`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ request_id: `demo-${i}`, label: truth }),
      });
      if (fb.status >= 300) throw new Error(`Feedback was refused: ${fb.status} ${await fb.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, client));
  return { answered, correct, latencies };
}
