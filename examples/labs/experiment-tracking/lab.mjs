// Lab: experiment tracking. See README.md beside this file.

import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { scaffoldProject, startServer, Tracker, vegaDatasetPath } from "keel";

const WET = new Set(["rain", "drizzle", "snow"]);
const GRID = { temp_max: [8, 10, 12, 14, 16, 18, 20], wind: [2, 3, 4, 5] };
const FILTER = "params.feature = 'temp_max' and metrics.valid_accuracy > 0.6";
const ORDER = ["metrics.valid_accuracy DESC"];

function readDays(path) {
  const [header, ...lines] = readFileSync(path, "utf8").trim().split("\n");
  const cols = header.split(",");
  return lines.map((l) =>
    Object.fromEntries(l.split(",").map((v, i) => [cols[i], i === 0 || i === 5 ? v : Number(v)])),
  );
}

/** Accuracy of "wet when feature < threshold" (cold days) or "wet when feature > threshold" (windy days). */
function accuracyOf(days, feature, threshold) {
  const wetWhen = feature === "temp_max" ? (v) => v < threshold : (v) => v > threshold;
  return days.filter((d) => wetWhen(d[feature]) === WET.has(d.weather)).length / days.length;
}

/** Run the lab in `dir`; returns what a test (or a curious learner) checks. */
export async function runLab({ dir, log = () => {} }) {
  const root = resolve(dir);
  rmSync(root, { recursive: true, force: true });
  scaffoldProject(root, { name: "tracking-lab" });
  mkdirSync(join(root, "data"), { recursive: true });
  const dataPath = join(root, "data", "seattle-weather.csv");
  copyFileSync(vegaDatasetPath("seattle-weather.csv"), dataPath);
  const days = readDays(dataPath);
  const train = days.filter((d) => d.date < "2014");
  const valid = days.filter((d) => d.date.startsWith("2014"));
  const dataset = {
    name: "seattle-weather",
    digest: createHash("sha256").update(readFileSync(dataPath)).digest("hex"),
    sourceType: "local",
    source: dataPath,
  };

  const tracker = await Tracker.open({ cwd: root, experiment: "wet-days", handleProcessExit: false });
  const sweep = await tracker.startRun({ runName: "sweep" });
  await sweep.logInput(dataset, "train");
  let best = 0;
  let step = 0;
  for (const [feature, thresholds] of Object.entries(GRID)) {
    for (const threshold of thresholds) {
      const trial = await sweep.startChild({ runName: `${feature}<>${threshold}` });
      await trial.logParams({ feature, threshold });
      const metrics = {
        train_accuracy: accuracyOf(train, feature, threshold),
        valid_accuracy: accuracyOf(valid, feature, threshold),
      };
      trial.logMetrics(metrics);
      await trial.logInput(dataset, "train");
      await trial.end();
      best = Math.max(best, metrics.valid_accuracy);
      sweep.logMetric("best_valid_accuracy", best, { step: step++ });
    }
  }
  await sweep.end();
  log(`1-2. ${step} nested trial runs under 'sweep'; best validation accuracy ${best.toFixed(3)}`);

  const experimentId = (await tracker.store.getExperimentByName("wet-days")).experimentId;
  const local = await tracker.store.searchRuns({
    experimentIds: [experimentId],
    filter: FILTER,
    orderBy: ORDER,
  });
  log(`3. search '${FILTER}' -> ${local.items.length} runs; top: ${local.items[0]?.info.runName}`);
  const history = await tracker.store.getMetricHistory(sweep.id, "best_valid_accuracy");
  await tracker.close();

  const server = await startServer({
    port: 0,
    backendStoreUri: join(root, ".keel", "keel.db"),
    artifactsDestination: join(root, ".keel", "artifacts"),
  });
  let remoteNames;
  try {
    const res = await fetch(`${server.url}/api/2.0/mlflow/runs/search`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ experiment_ids: [experimentId], filter: FILTER, order_by: ORDER }),
    });
    remoteNames = ((await res.json()).runs ?? []).map((r) => r.info.run_name);
  } finally {
    await server.close();
  }
  log(
    `4. the same search over MLflow's REST API -> ${remoteNames.length} runs, same order: ${JSON.stringify(remoteNames) === JSON.stringify(local.items.map((r) => r.info.runName))}`,
  );

  return {
    trials: step,
    best,
    historySteps: history.items.map((m) => m.step),
    localNames: local.items.map((r) => r.info.runName),
    localValid: local.items.map((r) => r.data.metrics.find((m) => m.key === "valid_accuracy").value),
    remoteNames,
    lookAt: `cd ${root} && npx keel runs list -e wet-days --order-by "metrics.valid_accuracy DESC"`,
  };
}
