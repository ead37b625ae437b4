// Lab: model search (AutoML). See README.md beside this file.
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { scaffoldProject, vegaDatasetPath } from "keel";
import { keel, keelJson } from "../lab-kit.mjs";

const STRATEGIES = [
  { strategy: "random", trials: 12 },
  { strategy: "tpe", trials: 12 },
  { strategy: "halving", trials: 18 },
];

/** Run the lab in `dir`; returns what a test (or a curious learner) checks. */
export async function runLab({ dir, log = () => {} }) {
  const root = resolve(dir);
  rmSync(root, { recursive: true, force: true });
  scaffoldProject(root, { name: "model-search-lab" });
  // BENCH_TASKS' seattle-weather task: five features, train 2012-2014, test 2015.
  const features = `SELECT precipitation, temp_max, temp_min, wind, month(date) AS month, weather
    FROM '${vegaDatasetPath("seattle-weather.csv")}'`;
  for (const [out, where] of [
    ["data/train.parquet", "year(date) <= 2014"],
    ["data/test.parquet", "year(date) = 2015"],
  ]) {
    const r = keel(root, ["data", "sql", `${features} WHERE ${where} ORDER BY date`, "--out", out]);
    if (r.code !== 0) throw new Error(r.stderr);
  }
  const common = ["--data", "data/train.parquet", "--test", "data/test.parquet", "--target", "weather"];
  const searches = [];
  for (const { strategy, trials } of STRATEGIES) {
    const started = Date.now();
    const s = keelJson(root, [
      "search",
      ...common,
      ...["--models", "gbdt,rf,logreg,knn", "--strategy", strategy, "--trials", String(trials)],
      ...["--cv", "3", "--metric", "f1_macro", "--parallel", "2", "--seed", "0"],
      ...["--run-name", `${strategy}-search`],
    ]);
    const seconds = (Date.now() - started) / 1000;
    searches.push({ strategy, seconds, ...s });
    log(
      `${strategy.padEnd(8)} ${String(s.leaderboard.length).padStart(2)} trials in ${seconds.toFixed(1)} s: ` +
        `best ${s.best.model} cv f1_macro ${s.best.score.toFixed(3)} (baseline ${s.baseline.mean.toFixed(3)}), ` +
        `refit test f1_macro ${s.refitMetrics.test_f1_macro.toFixed(3)}`,
    );
  }
  // A grid over one model with an overridden space: exhaustive, and readable.
  const grid = keelJson(root, [
    "search",
    ...common,
    ...["--models", "knn", "--strategy", "grid", "--trials", "50", "--cv", "3", "--metric", "f1_macro"],
    ...["--run-name", "knn-grid"],
  ]);
  log(`grid     ${grid.leaderboard.length} knn configurations; best ${JSON.stringify(grid.best.params)}`);
  return {
    searches,
    grid,
    lookAt: `cd ${root} && npx keel runs list --filter "tags.keel.command = 'search'"`,
  };
}
