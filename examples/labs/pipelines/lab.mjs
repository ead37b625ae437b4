// Lab: model pipelines. See README.md beside this file.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { scaffoldProject, vegaDatasetPath } from "keel";
import { keel, keelJson } from "../lab-kit.mjs";

const PIPELINE = `
stages:
  features:
    uses: data.convert
    with:
      in: data/raw/seattle-weather.csv
      out: data/weather.parquet
    deps: [data/raw/seattle-weather.csv]
    outs: [data/weather.parquet]
  split:
    uses: data.split
    with:
      file: data/weather.parquet
      out: data/split
      strategy: time
      by: date
      test: \${split.test}
    deps: [data/weather.parquet]
    outs: [data/split]
  baseline:
    uses: baseline
    with: {data: data/split/train.parquet, test: data/split/test.parquet, target: weather}
    deps: [data/split]
    metrics: [reports/baseline.json]
  train:
    foreach: [gbdt, logreg]
    do:
      uses: train
      with:
        data: data/split/train.parquet
        test: data/split/test.parquet
        target: weather
        model: \${item}
        seed: \${seed}
      deps: [data/split]
      metrics:
        - reports/train-\${item}.json
`;

/** Run the lab in `dir`; returns what a test (or a curious learner) checks. */
export async function runLab({ dir, log = () => {} }) {
  const root = resolve(dir);
  rmSync(root, { recursive: true, force: true });
  scaffoldProject(root, { name: "pipelines-lab" });
  const raw = join(root, "data", "raw", "seattle-weather.csv");
  const mkdir = keel(root, [
    "data",
    "sql",
    `SELECT * FROM '${vegaDatasetPath("seattle-weather.csv")}'`,
    "--out",
    raw,
  ]);
  if (mkdir.code !== 0) throw new Error(mkdir.stderr);
  const config = readFileSync(join(root, "keel.yaml"), "utf8");
  // The scaffold leaves `stages: {}` for us to fill in.
  writeFileSync(join(root, "keel.yaml"), config.replace(/^stages: \{\}\n?/m, PIPELINE.trimStart()));
  writeFileSync(join(root, "params.yaml"), "seed: 0\nsplit:\n  test: 0.25\n");

  const dag = keelJson(root, ["dag"]);
  const mermaid = keel(root, ["dag", "--mermaid"]).stdout;
  const outcome = (report) => Object.fromEntries(report.stages.map((s) => [s.name, s.result]));
  const first = keelJson(root, ["run", "--jobs", "2"]);
  log(`first run:  ${JSON.stringify(outcome(first))}`);
  const second = keelJson(root, ["run"]);
  log(`second run: ${JSON.stringify(outcome(second))}   (nothing changed: everything skipped)`);

  // Change one param: split and everything downstream rerun, features stays cached.
  writeFileSync(join(root, "params.yaml"), "seed: 0\nsplit:\n  test: 0.2\n");
  const status = keelJson(root, ["status"]);
  const third = keelJson(root, ["run", "--jobs", "2"]);
  log(`after split.test 0.25 -> 0.2: ${JSON.stringify(outcome(third))}`);

  // Delete an output: restored from the cache, not recomputed.
  rmSync(join(root, "data", "split"), { recursive: true, force: true });
  const fourth = keelJson(root, ["run"]);
  log(`after deleting data/split: ${JSON.stringify(outcome(fourth))}`);
  const metrics = keelJson(root, ["metrics", "show"]);

  // Share the results: push data and outputs to a folder remote; a teammate with only the files
  // git would hold (keel.yaml, params.yaml, keel.lock, the raw data) pulls them instead of rerunning.
  const remote = join(resolve(dir, ".."), "pipelines-lab-remote");
  rmSync(remote, { recursive: true, force: true });
  writeFileSync(
    join(root, "keel.yaml"),
    readFileSync(join(root, "keel.yaml"), "utf8").replace(
      /^remotes: \{\}$/m,
      `remotes:\n  default:\n    url: ${remote}`,
    ),
  );
  const pushed = keelJson(root, ["data", "push"]);
  log(`keel data push: ${pushed.transferred} objects of ${pushed.recorded} pipeline outputs -> ${remote}`);
  const teammate = join(resolve(dir, ".."), "pipelines-lab-teammate");
  rmSync(teammate, { recursive: true, force: true });
  mkdirSync(teammate, { recursive: true });
  for (const f of ["keel.yaml", "params.yaml", "keel.lock", "data/raw"])
    cpSync(join(root, f), join(teammate, f), { recursive: true });
  const pulled = keelJson(teammate, ["data", "pull"]);
  const teammateStatus = keelJson(teammate, ["status"]);
  log(
    `teammate: keel data pull restored ${pulled.outputs.length} outputs; keel status: ${teammateStatus.map((s) => `${s.stage} ${s.action}`).join(", ")}`,
  );
  return {
    dag,
    mermaid,
    first,
    second,
    status,
    third,
    fourth,
    metrics,
    pushed,
    pulled,
    teammateStatus,
    sameSplit: readFileSync(join(root, "data/split/train.parquet")).equals(
      readFileSync(join(teammate, "data/split/train.parquet")),
    ),
    lock: readFileSync(join(root, "keel.lock"), "utf8"),
    lookAt: `cd ${root} && npx keel dag && npx keel metrics show && cat keel.lock`,
  };
}
