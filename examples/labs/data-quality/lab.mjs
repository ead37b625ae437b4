// Lab: data challenges — profiling and validation. See README.md beside this file.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { vegaDatasetPath } from "keel";
import { keel, keelJson } from "../lab-kit.mjs";

/** Run the lab in `dir`; returns what a test (or a curious learner) checks. */
export async function runLab({ dir, log = () => {} }) {
  const root = resolve(dir);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const cars = vegaDatasetPath("cars.json");
  for (const [file, where] of [
    ["train-era.parquet", "year(Year) <= 1976"],
    ["new-batch.parquet", "year(Year) > 1976"],
  ]) {
    const r = keel(root, [
      "data",
      "sql",
      `SELECT * FROM '${cars}' WHERE ${where}`,
      "--out",
      join(root, file),
    ]);
    if (r.code !== 0) throw new Error(r.stderr);
  }
  log("1. split cars into train-era.parquet (1970-76) and new-batch.parquet (1977-82)");

  const profile = keelJson(root, ["data", "profile", "train-era.parquet", "--html", "profile.html"]);
  const missing = profile.columns.filter((c) => c.missing > 0).map((c) => `${c.name}: ${c.missing} missing`);
  log(`2. profile: ${profile.rowCount} rows; ${missing.join(", ") || "no missing values"} (profile.html)`);

  const drafted = keel(root, [
    "data",
    "infer-expectations",
    "train-era.parquet",
    "--out",
    "expectations.yaml",
  ]);
  if (drafted.code !== 0) throw new Error(drafted.stderr);
  log("3. drafted expectations.yaml from the training era");

  const validate = (file) => {
    const r = keel(root, ["data", "validate", file, "--expectations", "expectations.yaml", "--json"]);
    return { code: r.code, report: JSON.parse(r.stdout) };
  };
  const train = validate("train-era.parquet");
  const batch = validate("new-batch.parquet");
  const failed = batch.report.results.filter((x) => !x.success);
  log(`4. train era: exit ${train.code}; new batch: exit ${batch.code}, ${failed.length} expectations fail:`);
  for (const f of failed)
    log(`   - ${f.expectation ?? f.kind} ${f.column ?? ""}: observed ${JSON.stringify(f.observed)}`);

  return {
    profileRows: profile.rowCount,
    missing,
    htmlReport: existsSync(join(root, "profile.html")),
    trainExit: train.code,
    batchExit: batch.code,
    failed,
    lookAt: `open ${join(root, "profile.html")}; cat ${join(root, "expectations.yaml")}`,
  };
}
