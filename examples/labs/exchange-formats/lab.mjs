// Lab: exchange formats (ONNX). See README.md beside this file.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadModel } from "@keel/runtime";
import { scaffoldProject, vegaDatasetPath } from "keel";
import { keel, keelJson } from "../lab-kit.mjs";

/** Run the lab in `dir`; returns what a test (or a curious learner) checks. */
export async function runLab({ dir, log = () => {} }) {
  const root = resolve(dir);
  rmSync(root, { recursive: true, force: true });
  scaffoldProject(root, { name: "onnx-lab" });
  const made = keel(root, [
    "data",
    "sql",
    `SELECT Miles_per_Gallon AS mpg, Cylinders AS cylinders, Displacement AS displacement, Horsepower AS horsepower,
            Weight_in_lbs AS weight_lbs, Acceleration AS acceleration, year(Year) AS year
     FROM '${vegaDatasetPath("cars.json")}' WHERE Miles_per_Gallon IS NOT NULL`,
    "--out",
    "data/cars.parquet",
  ]);
  if (made.code !== 0) throw new Error(made.stderr);

  const trained = keelJson(root, [
    "train",
    "--data",
    "data/cars.parquet",
    "--target",
    "mpg",
    "--model",
    "gbdt",
    "--register",
    "mpg",
  ]);
  log(
    `1. trained gbdt: test RMSE ${trained.metrics.test_rmse.toFixed(2)} (baseline ${trained.baseline.test_rmse.toFixed(2)})`,
  );

  const out = join(root, "exported");
  const exported = keel(root, ["models", "export", "models:/mpg/1", "--out", out]);
  if (exported.code !== 0) throw new Error(exported.stderr);
  const manifest = JSON.parse(readFileSync(join(out, "model.json"), "utf8"));
  log(`2. exported to ${out}: inputs ${manifest.signature.inputs.map((i) => i.name).join(", ")}`);

  const checker = spawnSync(
    "/usr/bin/python3",
    [
      "-c",
      "import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True); print('ok')",
      join(out, "model.onnx"),
    ],
    { encoding: "utf8" },
  );
  log(`3. python onnx.checker: ${checker.status === 0 ? checker.stdout.trim() : checker.stderr.trim()}`);

  const model = await loadModel(out);
  const car = {
    cylinders: 4,
    displacement: 97,
    horsepower: 88,
    weight_lbs: 2130,
    acceleration: 14.5,
    year: 1971,
  };
  const prediction = await model.predict([car]);
  log(
    `4. @keel/runtime predicts ${Array.from(prediction.values ?? []).map((v) => v.toFixed(1))} mpg for ${JSON.stringify(car)}`,
  );
  let rejection = "";
  try {
    await model.predict([{ cylinders: "four", weight_lbs: 2130 }]);
  } catch (e) {
    rejection = e.message;
  }
  log(`   a bad request: ${rejection}`);

  const imported = keelJson(root, [
    "models",
    "import",
    join(out, "model.onnx"),
    "--name",
    "mpg-imported",
    "--target",
    "mpg",
  ]);
  const scoreOf = (ref) => keelJson(root, ["evaluate", ref, "--data", "data/cars.parquet"]).metrics.test_rmse;
  const original = scoreOf("models:/mpg/1");
  const copy = scoreOf(`models:/mpg-imported/${imported.version.version}`);
  log(
    `5. imported as mpg-imported v${imported.version.version}; RMSE original ${original.toFixed(4)} vs imported ${copy.toFixed(4)}`,
  );
  return {
    trained,
    checkerStatus: checker.status,
    prediction,
    rejection,
    original,
    copy,
    lookAt: `cat ${join(out, "model.json")}`,
  };
}
