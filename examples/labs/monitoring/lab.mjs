// Lab: data drift and concept drift. See README.md beside this file.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { scaffoldProject, vegaDatasetPath } from "keel";
import { keel, keelJson, postJson, startKeel } from "../lab-kit.mjs";

const FEATURES = ["month", "day_of_week", "hour", "distance", "origin", "destination"];
const flightsSql = (where, rows, seed) => `
  SELECT month(date) AS month, (isodow(date) - 1) AS day_of_week, hour(date) AS hour, distance,
         origin, destination, CASE WHEN delay > 15 THEN 1 ELSE 0 END AS delayed
  FROM (SELECT * FROM '${vegaDatasetPath("flights-3m.parquet")}' WHERE ${where})
  USING SAMPLE reservoir(${rows} ROWS) REPEATABLE (${seed})`;

/** Sends every row of `file` to the endpoint (one request each), then its true label as feedback. */
async function replay(root, url, file, tag) {
  const out = keelJson(root, ["data", "sql", `SELECT * FROM '${file}'`, "--max-rows", "100000"]);
  const rows = out.rows ?? out;
  const errors = [];
  for (const [i, row] of rows.entries()) {
    const id = `${tag}-${i}`;
    const answer = await postJson(`${url}/v2/models/flights/infer`, {
      id,
      inputs: FEATURES.map((name) => ({
        name,
        shape: [1],
        datatype: name === "origin" || name === "destination" ? "BYTES" : "FP64",
        data: [row[name]],
      })),
    });
    const label = Number(answer.outputs.find((o) => o.name === "label").data[0]);
    errors.push(label === Number(row.delayed) ? 0 : 1);
    await postJson(`${url}/v2/models/flights/feedback`, { request_id: id, label: Number(row.delayed) });
  }
  return errors;
}

/** One `keel monitor watch --once` check; exit 1 means it found drift. */
function watchOnce(root) {
  const r = keel(root, [
    ...["monitor", "watch", "flights", "--reference", "data/jan-mar.parquet", "--target", "delayed"],
    ...["--once", "--json", "--on-drift", "echo retrain >> retrain.log"],
  ]);
  if (r.code !== 0 && r.code !== 1) throw new Error(r.stderr);
  return { exitCode: r.code, ...JSON.parse(r.stdout.trim().split("\n").at(-1)) };
}

/** Run the lab in `dir`; returns what a test (or a curious learner) checks. */
export async function runLab({ dir, log = () => {}, requests = 400 }) {
  const root = resolve(dir);
  rmSync(root, { recursive: true, force: true });
  scaffoldProject(root, { name: "monitoring-lab" });
  const write = (sql, out) => {
    const r = keel(root, ["data", "sql", sql, "--out", out]);
    if (r.code !== 0) throw new Error(r.stderr);
  };
  // Training data (January-March), more January-March for a quiet period, and April-June's
  // worst-delay days (the world changing under the model).
  write(flightsSql("month(date) <= 3", 20_000, 0), "data/jan-mar.parquet");
  write(flightsSql("month(date) <= 3", requests, 1), "data/quiet.parquet");
  const worstDays = `CAST(date AS DATE) IN (SELECT d FROM (SELECT CAST(date AS DATE) AS d, avg(CASE WHEN delay > 15 THEN 1 ELSE 0 END) AS r
      FROM '${vegaDatasetPath("flights-3m.parquet")}' WHERE month(date) BETWEEN 4 AND 6 GROUP BY 1 ORDER BY r DESC LIMIT 3))`;
  write(flightsSql(worstDays, requests, 2), "data/bad-days.parquet");

  keelJson(root, [
    ...["train", "--data", "data/jan-mar.parquet", "--target", "delayed", "--model", "gbdt"],
    ...["--register", "flights", "--alias", "champion"],
  ]);
  keelJson(root, ["endpoint", "create", "flights", "--model", "models:/flights@champion"]);
  const server = await startKeel(root, [
    "endpoint",
    "serve",
    "flights",
    "--port",
    "0",
    "--log-level",
    "warn",
  ]);
  let quiet;
  let shifted;
  let errors;
  try {
    errors = await replay(root, server.url, join(root, "data/quiet.parquet"), "quiet");
    quiet = watchOnce(root);
    log(`after ${requests} Jan-Mar requests: verdict ${quiet.verdict} (exit ${quiet.exitCode})`);
    errors = errors.concat(await replay(root, server.url, join(root, "data/bad-days.parquet"), "bad"));
    shifted = watchOnce(root);
    log(
      `after ${requests} requests from Apr-Jun's worst-delay days: verdict ${shifted.verdict} (exit ${shifted.exitCode})`,
    );
  } finally {
    await server.stop();
  }

  // The drift report a person reads, and a concept-drift detector run over the error stream.
  const report = keel(root, [
    ...["monitor", "drift", "--reference", "data/jan-mar.parquet", "--current", "endpoint:flights"],
    ...["--target", "delayed", "--html", "reports/drift.html", "--json"],
  ]);
  if (report.code !== 0 && report.code !== 1) throw new Error(report.stderr);
  const drift = JSON.parse(report.stdout);
  for (const c of drift.columns)
    log(
      `  ${c.column.padEnd(12)} ${c.method.padEnd(14)} score ${String(c.score).slice(0, 8).padEnd(8)} ${c.drifted ? "DRIFT" : ""}`,
    );
  writeFileSync(join(root, "data", "errors.csv"), `wrong\n${errors.join("\n")}\n`);
  const detected = keelJson(root, [
    "monitor",
    "detect",
    "--detector",
    "ddm",
    "--input",
    "data/errors.csv",
    "--column",
    "wrong",
  ]);
  const first = (xs) => (xs.length === 0 ? "none" : `${xs.length}, the first at ${xs[0]}`);
  log(
    `DDM over ${errors.length} served predictions (0 = right, 1 = wrong; the shift starts at ${requests}): ` +
      `warnings ${first(detected.warnings)}; drifts ${first(detected.drifts)}`,
  );
  const history = keelJson(root, ["monitor", "report", "flights", "--html", "reports/monitoring.html"]);
  const retrainRuns = readFileSync(join(root, "retrain.log"), "utf8").trim().split("\n").length;
  log(`retraining command ran ${retrainRuns} time(s) for ${history.episodes.length} drift episode(s)`);
  return {
    quiet,
    shifted,
    drift,
    detected,
    errors,
    history,
    retrainRuns,
    lookAt: `open ${join(root, "reports", "drift.html")} and ${join(root, "reports", "monitoring.html")}; cd ${root} && npx keel runs list -e monitor-flights`,
  };
}
