// Lab: model versioning. See README.md beside this file.

import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { getLineage, registerModel, resolveModelRef, scaffoldProject, Tracker, vegaDatasetPath } from "keel";

const MODEL = "wet-day-rule";
const WET = new Set(["rain", "drizzle", "snow"]);
// Three candidate releases, in the order a team might try them.
const CANDIDATES = [
  { feature: "wind", threshold: 6 },
  { feature: "temp_max", threshold: 20 },
  { feature: "temp_max", threshold: 14 },
];

function readDays(path) {
  const [header, ...lines] = readFileSync(path, "utf8").trim().split("\n");
  const cols = header.split(",");
  return lines.map((l) =>
    Object.fromEntries(l.split(",").map((v, i) => [cols[i], i === 0 || i === 5 ? v : Number(v)])),
  );
}

function accuracyOf(days, { feature, threshold }) {
  const wetWhen = feature === "temp_max" ? (v) => v < threshold : (v) => v > threshold;
  return days.filter((d) => wetWhen(d[feature]) === WET.has(d.weather)).length / days.length;
}

/** Run the lab in `dir`; returns what a test (or a curious learner) checks. */
export async function runLab({ dir, log = () => {} }) {
  const root = resolve(dir);
  rmSync(root, { recursive: true, force: true });
  scaffoldProject(root, { name: "versioning-lab" });
  mkdirSync(join(root, "data"), { recursive: true });
  const dataPath = join(root, "data", "seattle-weather.csv");
  copyFileSync(vegaDatasetPath("seattle-weather.csv"), dataPath);
  const days = readDays(dataPath);
  const valid = days.filter((d) => d.date.startsWith("2014"));
  const digest = createHash("sha256").update(readFileSync(dataPath)).digest("hex");

  const tracker = await Tracker.open({ cwd: root, experiment: "wet-day-releases", handleProcessExit: false });
  const store = tracker.store;
  const decisions = [];
  let championAcc = -1;
  for (const rule of CANDIDATES) {
    const run = await tracker.startRun({ runName: `${rule.feature}-${rule.threshold}` });
    await run.logParams(rule);
    const acc = accuracyOf(valid, rule);
    run.logMetric("valid_accuracy", acc);
    await run.logInput({ name: "seattle-weather", digest, sourceType: "local", source: dataPath }, "train");
    await run.logDict({ rule }, "model/rule.json");
    await run.end();

    const artifacts = await tracker.artifactsOf(run.id);
    const mv = await registerModel(store, artifacts, {
      name: MODEL,
      from: `runs:/${run.id}/model`,
      alias: "challenger",
    });
    if (acc > championAcc) {
      await store.setRegisteredModelAlias(MODEL, "champion", mv.version);
      championAcc = acc;
      decisions.push({ version: mv.version, acc, promoted: true });
    } else {
      decisions.push({ version: mv.version, acc, promoted: false });
    }
    log(
      `v${mv.version} ${JSON.stringify(rule)} valid_accuracy=${acc.toFixed(3)} -> ${decisions.at(-1).promoted ? "champion" : "stays challenger"}`,
    );
  }

  const champion = await resolveModelRef(store, `models:/${MODEL}@champion`);
  const history = await store.getAliasHistory(MODEL, "champion");
  const lineage = await getLineage(store, MODEL, champion.modelVersion.version);
  log(
    `champion = v${champion.modelVersion.version}; history: ${history.map((e) => `${e.fromVersion ? `v${e.fromVersion}` : "(new)"} -> v${e.toVersion}`).join(", ")}`,
  );
  log(
    `lineage: v${lineage.modelVersion.version} <- run ${lineage.run.info.runName} <- ${lineage.datasets.map((d) => `${d.dataset.name}#${d.dataset.digest.slice(0, 12)}`).join(", ")}`,
  );
  await tracker.close();

  return {
    decisions,
    championVersion: champion.modelVersion.version,
    championUri: champion.uri,
    history: history.map((e) => [e.fromVersion, e.toVersion]),
    lineageDigest: lineage.datasets[0]?.dataset.digest,
    digest,
    lookAt: `cd ${root} && npx keel models alias history ${MODEL}`,
  };
}
