// Lab: baselining. See README.md beside this file.
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { scaffoldProject, vegaDatasetPath } from "keel";
import { keel, keelJson } from "../lab-kit.mjs";

/** Run the lab in `dir`; returns what a test (or a curious learner) checks. */
export async function runLab({ dir, log = () => {} }) {
  const root = resolve(dir);
  rmSync(root, { recursive: true, force: true });
  scaffoldProject(root, { name: "baselining-lab" });
  // BENCH_TASKS' penguins cleaning: drop rows with missing measurements or an unknown sex.
  const made = keel(root, [
    "data",
    "sql",
    `SELECT Species, Island, "Beak Length (mm)" AS beak_length, "Beak Depth (mm)" AS beak_depth,
            "Flipper Length (mm)" AS flipper_length, "Body Mass (g)" AS body_mass, Sex
     FROM '${vegaDatasetPath("penguins.json")}'
     WHERE "Beak Length (mm)" IS NOT NULL AND Sex IN ('MALE', 'FEMALE')`,
    "--out",
    "data/penguins.parquet",
  ]);
  if (made.code !== 0) throw new Error(made.stderr);

  const baselines = keelJson(root, ["baseline", "--data", "data/penguins.parquet", "--target", "Species"]);
  const trained = keelJson(root, [
    "train",
    "--data",
    "data/penguins.parquet",
    "--target",
    "Species",
    "--model",
    "logreg",
  ]);
  const rows = baselines.baselines;
  for (const r of rows)
    log(`baseline ${r.name.padEnd(28)} accuracy ${r.metrics.accuracy.toFixed(3)}  (${r.description})`);
  const bestBaseline = Math.max(...rows.map((r) => r.metrics.accuracy));
  log(
    `logreg                           accuracy ${trained.metrics.test_accuracy.toFixed(3)} (dummy ${trained.baseline.test_accuracy.toFixed(3)})`,
  );
  log(`lift over the best simple baseline: ${(trained.metrics.test_accuracy - bestBaseline).toFixed(3)}`);

  // The same lesson as a CI check: a candidate must beat the best baseline and the champion.
  const split = keel(root, [
    ...["data", "split", "data/penguins.parquet", "--strategy", "stratified", "--target", "Species"],
    ...["--test", "0.25", "--out", "data/split"],
  ]);
  if (split.code !== 0) throw new Error(split.stderr);
  const register = (model, alias) =>
    keelJson(root, [
      ...["train", "--data", "data/split/train.parquet", "--test", "data/split/test.parquet"],
      ...["--target", "Species", "--model", model, "--register", "penguins", "--alias", alias],
    ]).registered.version;
  const gate = (candidate) => {
    const r = keel(root, [
      ...["ci", "gate", "--candidate", candidate, "--data", "data/split/test.parquet"],
      ...["--metric", "accuracy", "--must-beat", "baseline,champion", "--json"],
    ]);
    if (r.code !== 0 && r.code !== 1) throw new Error(r.stderr);
    return { exitCode: r.code, ...JSON.parse(r.stdout) };
  };
  register("logreg", "champion");
  const weak = register("dummy", "challenger");
  const weakGate = gate(`models:/penguins/${weak}`);
  log(`ci gate, dummy challenger: exit ${weakGate.exitCode} (${weakGate.passed ? "pass" : "fail"})`);
  const strong = register("gbdt", "challenger");
  const strongGate = gate(`models:/penguins/${strong}`);
  for (const c of strongGate.checks) {
    log(
      `ci gate, gbdt vs ${c.reference.padEnd(9)} ${c.description}: lift ${c.lift?.toFixed(3) ?? "-"} ${c.passed ? "pass" : "FAIL"}`,
    );
  }
  log(`ci gate, gbdt challenger: exit ${strongGate.exitCode}`);
  return {
    baselines: rows,
    bestBaseline,
    trained,
    weakGate,
    strongGate,
    lookAt: `cd ${root} && npx keel runs list --filter "tags.keel.command = 'ci-gate'"`,
  };
}
