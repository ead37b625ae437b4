// Lab: ML system types. See README.md beside this file.
import { readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadModel } from "@keel/runtime";
import { scaffoldProject, vegaDatasetPath } from "keel";
import { keel, keelJson, postJson, startKeel } from "../lab-kit.mjs";

const FEATURES = ["month", "day_of_week", "hour", "distance", "origin", "destination"];
const pct = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

/** Run the lab in `dir`; returns what a test (or a curious learner) checks. */
export async function runLab({ dir, log = () => {}, requests = 300 }) {
  const root = resolve(dir);
  rmSync(root, { recursive: true, force: true });
  scaffoldProject(root, { name: "system-types-lab" });
  const flights = vegaDatasetPath("flights-3m.parquet");
  const slice = (from, to, out) => {
    const r = keel(root, [
      ...["data", "sql"],
      `SELECT month(date) AS month, (isodow(date) - 1) AS day_of_week, hour(date) AS hour, distance, origin,
              destination, CASE WHEN delay > 15 THEN 1 ELSE 0 END AS delayed
       FROM (SELECT *, row_number() OVER () - 1 AS rid FROM '${flights}') WHERE rid >= ${from} AND rid < ${to}`,
      ...["--out", out],
    ]);
    if (r.code !== 0) throw new Error(r.stderr);
  };
  slice(0, 20_000, "data/train.parquet");
  slice(1_000_000, 1_200_000, "data/score.parquet");
  const trained = keelJson(root, [
    ...["train", "--data", "data/train.parquet", "--target", "delayed", "--model", "gbdt"],
    ...["--register", "flights"],
  ]);
  const ref = "models:/flights/1";
  const rows = [];
  const sample = await (async () => {
    // A few real rows to send through every mode.
    const r = keelJson(root, ["data", "sql", "SELECT * FROM 'data/score.parquet' LIMIT 200"]);
    return (r.rows ?? r).map((row) => Object.fromEntries(FEATURES.map((f) => [f, row[f]])));
  })();

  // 1. Batch: score a whole file, no latency requirement, throughput is what counts.
  const batch = keelJson(root, [
    ...["predict", ref, "--input", "data/score.parquet", "--output", "data/scored.parquet"],
  ]);
  rows.push({ mode: "batch (keel predict)", p50: null, p99: null, throughput: batch.rowsPerSecond });

  // 2. Online, model-as-service: one HTTP request per prediction against keel serve.
  const server = await startKeel(root, ["serve", ref, "--port", "0", "--log-level", "warn"]);
  const latencies = [];
  const onlineLabels = [];
  try {
    for (let i = 0; i < requests; i++) {
      const t = performance.now();
      const r = await postJson(`${server.url}/invocations`, {
        dataframe_records: [sample[i % sample.length]],
      });
      latencies.push(performance.now() - t);
      if (i < sample.length) onlineLabels.push(r.predictions[0]);
    }
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async (_, w) => {
        for (let i = w; i < requests; i += 16)
          await postJson(`${server.url}/invocations`, { dataframe_records: [sample[i % sample.length]] });
      }),
    );
    const concurrent = requests / ((performance.now() - t0) / 1000);
    rows.push({
      mode: "online (keel serve, HTTP)",
      p50: pct(latencies, 0.5),
      p99: pct(latencies, 0.99),
      throughput: concurrent,
    });
  } finally {
    await server.stop();
  }

  // 3. In-process, model-in-service: the model is a library call in the app's own process.
  const runDir = readdirSync(join(root, ".keel", "artifacts"))
    .map((exp) => join(root, ".keel", "artifacts", exp, trained.run_id, "artifacts", "model"))
    .find((p) => {
      try {
        return readdirSync(p).includes("model.json");
      } catch {
        return false;
      }
    });
  const model = await loadModel(runDir);
  const inProcess = [];
  let localLabels = [];
  try {
    for (let i = 0; i < requests; i++) {
      const t = performance.now();
      const p = await model.predict([sample[i % sample.length]]);
      inProcess.push(performance.now() - t);
      if (i < sample.length) localLabels.push(p.labels[0]);
    }
    const all = await model.predict(sample);
    localLabels = all.labels;
  } finally {
    await model.release();
  }
  rows.push({
    mode: "in-process (@keel/runtime)",
    p50: pct(inProcess, 0.5),
    p99: pct(inProcess, 0.99),
    throughput: 1000 / (inProcess.reduce((a, b) => a + b, 0) / inProcess.length),
  });

  log("mode                          p50 ms   p99 ms   rows/s");
  for (const r of rows) {
    const f = (x) => (x === null ? "-" : x.toFixed(2)).padStart(7);
    log(
      `${r.mode.padEnd(28)} ${f(r.p50)}  ${f(r.p99)}  ${Math.round(r.throughput).toLocaleString("en-US").padStart(10)}`,
    );
  }
  log(
    "browser (@keel/runtime/browser): see packages/keel/test/runtime/browser.test.ts (same package, WebAssembly)",
  );
  return {
    rows,
    batch,
    agree: onlineLabels.every((l, i) => String(l) === String(localLabels[i])),
    lookAt: `cd ${root} && npx keel data sql "SELECT label, count(*) FROM 'data/scored.parquet' GROUP BY label"`,
  };
}
