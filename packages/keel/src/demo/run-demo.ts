import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { DataSession } from "../data/engine/duckdb-session.js";
import { convertFile } from "../data/formats/convert-file.js";
import { profileHtml } from "../data/profile/profile-html.js";
import { profileTable } from "../data/profile/profile-table.js";
import { parseExpectations } from "../data/validate/expectations-file.js";
import { renderExpectationsYaml } from "../data/validate/expectations-yaml.js";
import { draftExpectations } from "../data/validate/infer-expectations.js";
import { validateRelation } from "../data/validate/validate-relation.js";
import { addData } from "../data/versioning/add-data.js";
import { workspaceAt } from "../data/versioning/workspace.js";
import { vegaDatasetPath } from "../datasets/vega-datasets.js";
import { accuracy, balancedAccuracy, confusionMatrix, macroF1 } from "../learn/metrics/classification.js";
import type { CommandCatalog } from "../pipeline/builtin-steps.js";
import type { RunReport } from "../pipeline/run-report.js";
import { scaffoldProject } from "../project/scaffold.js";
import { registerModel } from "../registry/register-model.js";
import { startServer } from "../server/start-server.js";
import type { ModelVersion } from "../store/entities.js";
import type { ActiveRun } from "../track/active-run.js";
import { Tracker } from "../track/tracker.js";
import { FLIGHTS_MODEL, type FlightsServing, serveAndMonitorFlights } from "./flights-serving.js";
import { loadWeatherTable, rowsOfYears, WEATHER_CLASSES, type WeatherTable } from "./seattle-weather.js";
import {
  fitMonthMajority,
  fitMostFrequent,
  fitRainThreshold,
  labelsOf,
  predictRule,
  type WeatherRule,
} from "./weather-rules.js";

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Project folder the demo creates (or refreshes). */
  dir: string;
  /** Keep the runs of earlier demo runs in that folder instead of starting clean. */
  keep?: boolean | undefined;
  /** Where progress lines go. */
  log?: ((line: string) => void) | undefined;
  /**
   * The keel command tree, for the pipeline step's `uses:` stages (the CLI passes its own; the
   * demo module does not import the CLI). Without it, the pipeline step is left out.
   */
  catalog?: CommandCatalog | undefined;
}

/** What the demo produced, for the closing message and for tests. */
export interface DemoSummary {
  projectDir: string;
  trackingUri: string;
  experiment: string;
  runIds: string[];
  champion: ModelVersion;
  /** The versioned dataset every run used (`seattle-weather@N`). */
  datasetRef: string;
  /** Self-contained HTML profile of the data. */
  profileReport: string;
  /** Expectations drafted from the data, and how many passed when validated. */
  expectations: { path: string; passed: number; total: number };
  /** Size and full-read time of the CSV and of the Parquet file it became. */
  formats: { format: string; bytes: number; readMs: number }[];
  serverCheck: { runsFound: number; bestRunName: string };
  /** Lineage of the dataset version: runs and model versions that used it. */
  usage: { runs: number; modelVersions: number };
  /** Trained learners: CV scores, the champion and its test accuracy. */
  learned: LearnedModels;
  /** The model search and the CI gate its winner went through. */
  searched: SearchedModel;
  /** The pipeline run twice, then pushed to the demo's folder remote (null without a command tree). */
  pipelined: DemoPipeline | null;
  /** The flights model served, replayed with feedback, and checked for drift. */
  flights: FlightsServing;
}

/** What {@link searchAndGate} produced. */
export interface SearchedModel {
  searchRunId: string;
  trials: number;
  bestModel: string;
  bestScore: number;
  /** Registered version of the refit winner. */
  version: string;
  gateRunId: string;
  passed: boolean;
  /** The gate's comparisons: reference, what it was, and the candidate's lift over it. */
  checks: { reference: string; description: string; lift: number | null }[];
}

/** What {@link trainLearners} produced. */
export interface LearnedModels {
  candidates: { model: string; runId: string; version: string; cvF1: number }[];
  champion: string;
  testAccuracy: number;
  evaluationRunId: string;
}

/** The experiment and registered model names the demo uses. */
export const DEMO_EXPERIMENT = "seattle-weather-baselines";
/** Registered model of the demo's rule baselines. */
export const DEMO_MODEL = "seattle-weather-rules";
/** Registered model of the demo's trained learners. */
export const LEARNED_MODEL = "seattle-weather";
/** Experiment of the demo's trained learners. */
export const LEARNED_EXPERIMENT = "seattle-weather-learners";
/** Experiment of the demo's pipeline runs. */
export const PIPELINE_EXPERIMENT = "seattle-weather-pipeline";

const SPLITS = { train: [2012, 2013], valid: [2014], test: [2015] } as const;
const GRID = { threshold: [0, 0.5, 1, 2], coldBelow: [5, 10, 15, 20] };
const STEPS = 12;

/**
 * The end-to-end demo on embedded defaults: scaffold a project; convert, profile, validate and
 * version real data (vega-datasets' Seattle weather); track baseline runs and a rule grid search
 * as nested runs on that dataset version; train logistic regression and gradient boosting with
 * 5-fold CV, promote the better one and evaluate it once on the held-out year; register the rule
 * models and promote to `champion` only a version that beats the current one; query the store
 * through the MLflow-compatible server; and answer lineage: which runs and models used the data.
 */
export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const step = (i: number, text: string) => log(`${i}/${STEPS} ${text}`);
  const dir = resolve(options.dir);
  if (!options.keep && existsSync(join(dir, ".keel")))
    rmSync(join(dir, ".keel"), { recursive: true, force: true });
  scaffoldProject(dir, { name: "keel-demo", force: true });
  step(1, `Project scaffolded in ${dir}`);

  const csvPath = join(dir, "data", "seattle-weather.csv");
  const dataPath = join(dir, "data", "seattle-weather.parquet");
  const trainPath = join(dir, "data", "train.parquet");
  const testPath = join(dir, "data", "test.parquet");
  mkdirSync(join(dir, "data"), { recursive: true });
  copyFileSync(vegaDatasetPath("seattle-weather.csv"), csvPath);
  const session = await DataSession.open();
  let table: WeatherTable;
  let formats: DemoSummary["formats"];
  let profileReport: string;
  let expectations: DemoSummary["expectations"];
  try {
    const converted = await convertFile(session, csvPath, dataPath, { compression: "zstd" });
    formats = converted.comparison.map((c) => ({ format: c.format, bytes: c.bytes, readMs: c.readMs }));
    step(
      2,
      `Formats: ${formats.map((f) => `${f.format} ${(f.bytes / 1024).toFixed(0)} KiB read in ${f.readMs.toFixed(1)} ms`).join(" -> ")} ` +
        `(${converted.rows} rows)`,
    );

    const relation = await session.relationFrom(dataPath);
    const profile = await profileTable(session, relation);
    profileReport = join(dir, "reports", "seattle-weather-profile.html");
    mkdirSync(join(dir, "reports"), { recursive: true });
    writeFileSync(
      profileReport,
      profileHtml(profile, { path: relative(dir, dataPath), bytes: statSync(dataPath).size }),
    );
    const expectationsPath = join(dir, "expectations.yaml");
    const yaml = renderExpectationsYaml(await draftExpectations(session, relation, relative(dir, dataPath)));
    writeFileSync(expectationsPath, yaml);
    const report = await validateRelation(
      session,
      relation,
      parseExpectations(yaml, expectationsPath),
      dataPath,
    );
    const passed = report.results.filter((r) => r.success).length;
    expectations = { path: expectationsPath, passed, total: report.results.length };
    step(
      3,
      `Data quality: profile of ${profile.columns.length} columns -> ${relative(dir, profileReport)}; ` +
        `${passed}/${report.results.length} drafted expectations pass (expectations.yaml)`,
    );
    table = await loadWeatherTable(session, dataPath);
    // BENCH_TASKS' seattle-weather task: five features, train 2012-2014, test 2015.
    for (const [path, where] of [
      [trainPath, "year(date) <= 2014"],
      [testPath, "year(date) = 2015"],
    ] as const) {
      await session.writeRelation(
        `SELECT precipitation, temp_max, temp_min, wind, month(date) AS month, weather FROM ${relation} WHERE ${where} ORDER BY date`,
        path,
        { format: "parquet" },
      );
    }
  } finally {
    session.close();
  }

  const tracker = await Tracker.open({ cwd: dir, experiment: DEMO_EXPERIMENT });
  try {
    const added = await addData(workspaceAt(dir), tracker.store, dataPath, { cwd: dir });
    const datasetRef = `${added.name}@${added.version}`;
    for (const [path, name] of [
      [trainPath, "seattle-weather-train"],
      [testPath, "seattle-weather-test"],
    ] as const) {
      await addData(workspaceAt(dir), tracker.store, path, { cwd: dir, name });
    }
    step(
      4,
      `Data versioning: ${relative(dir, dataPath)} -> ${datasetRef} (pointer ${added.pointer}, sha256 ${added.digest.slice(0, 12)}...)`,
    );

    const rows = {
      train: rowsOfYears(table, SPLITS.train),
      valid: rowsOfYears(table, SPLITS.valid),
      test: rowsOfYears(table, SPLITS.test),
    };
    const runIds: string[] = [];
    const evaluate = (rule: WeatherRule, split: keyof typeof rows) => score(rule, table, rows[split]);
    const baselines: [string, WeatherRule][] = [
      ["most-frequent", fitMostFrequent(table, rows.train)],
      ["month-majority", fitMonthMajority(table, rows.train)],
    ];
    for (const [name, rule] of baselines) {
      const run = await tracker.startRun({ runName: name, tags: { "keel.demo": "baseline" } });
      await logRule(
        run,
        rule,
        datasetRef,
        { valid: evaluate(rule, "valid"), test: evaluate(rule, "test") },
        table,
        rows.test,
      );
      await run.end();
      runIds.push(run.id);
    }
    step(
      5,
      `Tracked ${baselines.length} baselines on ${datasetRef}: train ${rows.train.length} days (2012-13), ` +
        `valid ${rows.valid.length} (2014), test ${rows.test.length} (2015)`,
    );

    const search = await tracker.startRun({ runName: "rain-threshold-grid", tags: { "keel.demo": "grid" } });
    await search.logParams({
      rule: "rain_threshold",
      grid: JSON.stringify(GRID),
      selection: "valid_accuracy",
    });
    let best: { params: { threshold: number; coldBelow: number }; valid: number } | null = null;
    let trials = 0;
    for (const threshold of GRID.threshold) {
      for (const coldBelow of GRID.coldBelow) {
        const params = { threshold, coldBelow };
        const rule = fitRainThreshold(table, rows.train, params);
        const valid = evaluate(rule, "valid");
        const trial = await search.startChild({ runName: `t=${threshold} cold<${coldBelow}` });
        await trial.logParams(params);
        trial.logMetrics({ valid_accuracy: valid.accuracy, valid_macro_f1: valid.macro_f1 });
        await trial.logInput(datasetRef, "train");
        await trial.end();
        if (best === null || valid.accuracy > best.valid) best = { params, valid: valid.accuracy };
        search.logMetric("best_valid_accuracy", best.valid, { step: trials++ });
      }
    }
    // Refit the winning rule on train + valid, then report the untouched 2015 test year.
    const refitRows = Int32Array.from([...rows.train, ...rows.valid]);
    const winner = fitRainThreshold(table, refitRows, best!.params);
    await search.logParams({ threshold: best!.params.threshold, coldBelow: best!.params.coldBelow });
    await logRule(
      search,
      winner,
      datasetRef,
      { valid: evaluate(winner, "valid"), test: evaluate(winner, "test") },
      table,
      rows.test,
    );
    search.logMetric("valid_accuracy", best!.valid);
    await search.end();
    runIds.push(search.id);
    step(
      6,
      `Grid search: ${trials} nested trial runs; best ${JSON.stringify(best!.params)} (valid acc ${best!.valid.toFixed(3)})`,
    );

    const learned = await trainLearners(tracker, dir, trainPath, testPath);
    step(
      7,
      `Learners (5-fold CV on 2012-14 to choose, 2015 to report): ` +
        learned.candidates.map((c) => `${c.model} cv macro-F1 ${c.cvF1.toFixed(3)}`).join(", ") +
        `; champion models:/${LEARNED_MODEL}@champion (${learned.champion}) test accuracy ${learned.testAccuracy.toFixed(3)}`,
    );

    const searched = await searchAndGate(tracker, dir, trainPath, testPath);
    step(
      8,
      `Model search (TPE, ${searched.trials} trials on 2 worker threads): best ${searched.bestModel} cv accuracy ` +
        `${searched.bestScore.toFixed(3)}, registered models:/${LEARNED_MODEL}/${searched.version}@challenger; ` +
        `ci gate on 2015: ${searched.checks.map((c) => `${c.reference} (${c.description}) lift ${c.lift === null ? "n/a" : c.lift.toFixed(3)}`).join(", ")} ` +
        `-> ${searched.passed ? "PASS, promoted to champion" : "FAIL, champion kept"}`,
    );

    const pipelined = options.catalog ? await runDemoPipeline(tracker, dir, options.catalog) : null;
    if (pipelined) {
      step(
        9,
        `Pipeline (keel.yaml -> keel.lock): first keel run ${summarizeResults(pipelined.first)}; ` +
          `second ${summarizeResults(pipelined.second)} (nothing changed); keel data push: ` +
          `${pipelined.pushed.objects} objects of ${pipelined.pushed.pointers} tracked datasets and ` +
          `${pipelined.pushed.outputs} pipeline outputs -> ${DEMO_REMOTE}/`,
      );
    } else step(9, "Pipeline: skipped (no command tree given; `keel demo` runs it)");

    const champion = await registerAndPromote(tracker, runIds);
    const serverCheck = await queryThroughServer(tracker.trackingUri, join(dir, ".keel", "artifacts"));
    const used = await tracker.store.findDatasetUsage(added.name, added.version);
    const usage = { runs: used.runs.length, modelVersions: used.modelVersions.length };
    step(
      10,
      `Registered models:/${DEMO_MODEL}/${champion.version} as champion; MLflow REST runs/search found ` +
        `${serverCheck.runsFound} runs; lineage: ${datasetRef} fed ${usage.runs} runs and ${usage.modelVersions} model versions`,
    );
    const flights = await serveAndMonitorFlights(tracker, dir);
    step(
      11,
      `Serving: flights gbdt (${flights.trainRows} Jan-Mar flights, holdout ROC-AUC ${flights.holdoutRocAuc.toFixed(3)}) ` +
        `registered as models:/${FLIGHTS_MODEL}/${flights.version}@champion behind endpoint '${FLIGHTS_MODEL}'; ` +
        `${flights.answered} Apr-Jun requests over the Open Inference Protocol (p50 ${flights.p50Ms.toFixed(1)} ms), ` +
        `each with its true label as feedback (served accuracy ${flights.servedAccuracy.toFixed(3)})`,
    );
    step(
      12,
      `Monitoring (keel monitor watch, one check, run ${flights.checkRunId.slice(0, 8)}): Apr-Jun traffic vs Jan-Mar training data: ` +
        `${flights.datasetDrift ? "DATASET DRIFT" : "no dataset drift"} (${(flights.driftShare * 100).toFixed(0)}% of features drifted: ` +
        `${flights.driftedFeatures.join(", ") || "none"}); verdict ${flights.verdict}` +
        `${flights.retrained ? ", retraining command ran once (models:/flights@challenger, reports/retrain.json)" : ""} -> ${relative(dir, flights.driftReport)}`,
    );
    return {
      projectDir: dir,
      trackingUri: tracker.trackingUri,
      experiment: DEMO_EXPERIMENT,
      runIds,
      champion,
      datasetRef,
      profileReport,
      expectations,
      formats,
      serverCheck,
      usage,
      learned,
      searched,
      pipelined,
      flights,
    };
  } finally {
    await tracker.close();
  }
}

/**
 * Train logistic regression and gradient boosting with 5-fold CV on the training years (tracked,
 * packaged as ONNX, registered), promote the better CV macro-F1 to `champion`, and only then
 * evaluate the champion once on the untouched test year.
 */
async function trainLearners(
  tracker: Tracker,
  dir: string,
  trainPath: string,
  testPath: string,
): Promise<LearnedModels> {
  // Lazy: training loads ONNX Runtime.
  const { trainModel } = await import("../learn/train/train-model.js");
  const { evaluateModel } = await import("../learn/train/evaluate-model.js");
  const candidates: LearnedModels["candidates"] = [];
  for (const model of ["logreg", "gbdt"]) {
    const r = await trainModel(
      {
        data: trainPath,
        target: "weather",
        cv: 5,
        model,
        experiment: LEARNED_EXPERIMENT,
        runName: model,
        register: LEARNED_MODEL,
        alias: "challenger",
      },
      { tracker, cwd: dir },
    );
    candidates.push({
      model,
      runId: r.runId,
      version: r.registered!.version,
      cvF1: r.metrics.cv_f1_macro_mean!,
    });
  }
  const best = candidates.reduce((a, b) => (b.cvF1 > a.cvF1 ? b : a));
  await tracker.store.setRegisteredModelAlias(LEARNED_MODEL, "champion", best.version);
  const evaluation = await evaluateModel(
    {
      model: `models:/${LEARNED_MODEL}@champion`,
      data: testPath,
      experiment: LEARNED_EXPERIMENT,
      runName: "champion-on-2015",
    },
    { tracker, cwd: dir },
  );
  return {
    candidates,
    champion: best.model,
    testAccuracy: evaluation.metrics.test_accuracy!,
    evaluationRunId: evaluation.runId,
  };
}

/**
 * Search four model families with TPE (trials on worker threads), register the refit winner as
 * challenger, and let `keel ci gate` decide on 2015 whether it beats the best baseline and the
 * champion; promote it only then.
 */
async function searchAndGate(
  tracker: Tracker,
  dir: string,
  trainPath: string,
  testPath: string,
): Promise<SearchedModel> {
  // Lazy: search and the gate load ONNX Runtime.
  const { runSearch } = await import("../search/run/run-search.js");
  const { runGate } = await import("../ci/gate.js");
  const search = await runSearch(
    {
      data: trainPath,
      target: "weather",
      models: ["gbdt", "rf", "logreg", "knn"],
      strategy: "tpe",
      trials: 12,
      cv: 3,
      metric: "accuracy",
      parallel: 2,
      seed: 0,
      experiment: LEARNED_EXPERIMENT,
      runName: "tpe-search",
      register: LEARNED_MODEL,
      alias: "challenger",
    },
    { tracker, cwd: dir },
  );
  const version = search.refit!.registered!.version;
  const gate = await runGate(
    {
      candidate: `models:/${LEARNED_MODEL}/${version}`,
      data: testPath,
      metric: "accuracy",
      mustBeat: ["baseline", "champion"],
      experiment: LEARNED_EXPERIMENT,
    },
    { tracker, cwd: dir },
  );
  if (gate.passed) await tracker.store.setRegisteredModelAlias(LEARNED_MODEL, "champion", version);
  return {
    searchRunId: search.runId,
    trials: search.leaderboard.length,
    bestModel: search.best!.model,
    bestScore: search.best!.mean!,
    version,
    gateRunId: gate.runId,
    passed: gate.passed,
    checks: gate.checks.map((c) => ({
      reference: c.reference,
      description: c.description.replace(/ \(.*\)$/, ""),
      lift: c.lift,
    })),
  };
}

/** The demo's pipeline: split the versioned data by time, score the baselines, train gbdt. */
const DEMO_PIPELINE = `stages:
  split:
    uses: data.split
    with:
      file: data/seattle-weather.parquet
      out: data/pipeline
      strategy: time
      by: date
      test: \${split.test}
    deps: [data/seattle-weather.parquet]
    outs: [data/pipeline]
  baseline:
    uses: baseline
    with: {data: data/pipeline/train.parquet, test: data/pipeline/test.parquet, target: weather}
    deps: [data/pipeline]
    metrics: [reports/pipeline-baseline.json]
  train:
    uses: train
    with:
      data: data/pipeline/train.parquet
      test: data/pipeline/test.parquet
      target: weather
      model: gbdt
      param:
        maxIter: \${train.max_iter}
    params: [train.max_iter]
    deps: [data/pipeline]
    metrics: [reports/pipeline-train.json]
`;

/** The demo's folder data remote, relative to the project (what `keel data push` fills). */
export const DEMO_REMOTE = "remote";

/** What the demo's pipeline step did. */
export interface DemoPipeline {
  /** The first run (every stage runs) and the second (every stage skipped). */
  readonly first: RunReport;
  readonly second: RunReport;
  /** `keel data push` afterwards: objects sent, pointers and pipeline outputs they belong to. */
  readonly pushed: { readonly objects: number; readonly pointers: number; readonly outputs: number };
}

/**
 * Write the pipeline into keel.yaml and run it twice: the first run runs every stage (tracked,
 * outputs cached, keel.lock written), the second skips them all. Then push the versioned data
 * and the pipeline outputs to a folder remote, as a team would before a teammate's `keel data pull`.
 */
async function runDemoPipeline(
  tracker: Tracker,
  dir: string,
  catalog: CommandCatalog,
): Promise<DemoPipeline> {
  const { runPipeline } = await import("../pipeline/run-pipeline.js");
  const { transferData } = await import("../pipeline/transfer-outputs.js");
  const config = readFileSync(join(dir, "keel.yaml"), "utf8")
    .replace(/^stages: \{\}\n?/m, DEMO_PIPELINE)
    .replace(/^remotes: \{\}$/m, `remotes:\n  default:\n    url: ${DEMO_REMOTE}`);
  writeFileSync(join(dir, "keel.yaml"), config);
  writeFileSync(join(dir, "params.yaml"), "split:\n  test: 0.25\ntrain:\n  max_iter: 100\n");
  const run = () =>
    runPipeline(workspaceAt(dir), {
      catalog,
      tracker,
      experiment: PIPELINE_EXPERIMENT,
      env: { KEEL_TRACKING_URI: tracker.trackingUri },
    });
  const first = await run();
  const second = await run();
  if (first.failed.length > 0) throw new Error(`The demo pipeline failed at ${first.failed.join(", ")}`);
  const push = await transferData("push", workspaceAt(dir), null, { cwd: dir });
  if (push.missing.length > 0)
    throw new Error(`The demo's push lacked ${push.missing.length} cache object(s)`);
  return {
    first,
    second,
    pushed: { objects: push.objects, pointers: push.pointers, outputs: push.recorded },
  };
}

function summarizeResults(report: RunReport): string {
  const counts = new Map<string, number>();
  for (const s of report.stages) counts.set(s.result, (counts.get(s.result) ?? 0) + 1);
  return [...counts].map(([result, n]) => `${result} ${n}`).join(", ");
}

interface Scores {
  accuracy: number;
  macro_f1: number;
  balanced_accuracy: number;
}

function score(rule: WeatherRule, t: WeatherTable, rows: Int32Array): Scores {
  const yTrue = labelsOf(t, rows);
  const yPred = predictRule(rule, t, rows);
  const k = WEATHER_CLASSES.length;
  return {
    accuracy: accuracy(yTrue, yPred),
    macro_f1: macroF1(yTrue, yPred, k),
    balanced_accuracy: balancedAccuracy(yTrue, yPred, k),
  };
}

async function logRule(
  run: ActiveRun,
  rule: WeatherRule,
  dataset: string,
  scores: { valid: Scores; test: Scores },
  t: WeatherTable,
  testRows: Int32Array,
): Promise<void> {
  await run.logParam("rule_kind", rule.kind);
  for (const [split, s] of Object.entries(scores)) {
    run.logMetrics(Object.fromEntries(Object.entries(s).map(([k, v]) => [`${split}_${k}`, v])));
  }
  await run.logInput(dataset, "train");
  await run.logDict({ format: "keel-weather-rule/1", classes: WEATHER_CLASSES, rule }, "model/rule.json");
  const cm = confusionMatrix(labelsOf(t, testRows), predictRule(rule, t, testRows), WEATHER_CLASSES.length);
  const csv = [
    `true\\pred,${WEATHER_CLASSES.join(",")}`,
    ...cm.map((row, i) => `${WEATHER_CLASSES[i]},${row.join(",")}`),
  ];
  await run.logText(`${csv.join("\n")}\n`, "confusion_matrix.csv");
}

/**
 * Register every demo run's model, best validation accuracy last, and move `champion` only when
 * a new version beats the current champion on validation accuracy (the baselining lesson).
 */
async function registerAndPromote(tracker: Tracker, runIds: string[]): Promise<ModelVersion> {
  const store = tracker.store;
  const runs = await Promise.all(runIds.map((id) => store.getRun(id)));
  const validAcc = (runId: string) =>
    runs.find((r) => r.info.runId === runId)!.data.metrics.find((m) => m.key === "valid_accuracy")!.value;
  const ordered = [...runIds].sort((a, b) => validAcc(a) - validAcc(b));
  const artifacts = await tracker.artifactsOf(ordered[0]!);
  let champion: ModelVersion | null = null;
  for (const runId of ordered) {
    const mv = await registerModel(store, artifacts, {
      name: DEMO_MODEL,
      from: `runs:/${runId}/model`,
      description: `valid_accuracy=${validAcc(runId).toFixed(4)}`,
    });
    if (champion === null || validAcc(runId) > validAcc(champion.runId)) {
      await store.setRegisteredModelAlias(DEMO_MODEL, "champion", mv.version);
      champion = await store.getModelVersion(DEMO_MODEL, mv.version);
    } else {
      await store.setRegisteredModelAlias(DEMO_MODEL, "challenger", mv.version);
    }
  }
  return champion!;
}

/** Start `keel server` on a free loopback port over the demo's store and search it the MLflow way. */
async function queryThroughServer(
  trackingUri: string,
  artifactsDestination: string,
): Promise<{ runsFound: number; bestRunName: string }> {
  const server = await startServer({
    host: "127.0.0.1",
    port: 0,
    backendStoreUri: trackingUri,
    artifactsDestination,
  });
  try {
    const exp = (await (
      await fetch(`${server.url}/api/2.0/mlflow/experiments/get-by-name?experiment_name=${DEMO_EXPERIMENT}`)
    ).json()) as { experiment: { experiment_id: string } };
    const res = await fetch(`${server.url}/api/2.0/mlflow/runs/search`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        experiment_ids: [exp.experiment.experiment_id],
        filter: "metrics.valid_accuracy > 0.5 and attributes.status = 'FINISHED'",
        order_by: ["metrics.valid_accuracy DESC"],
        max_results: 100,
      }),
    });
    const body = (await res.json()) as { runs?: { info: { run_name: string } }[] };
    if (!res.ok) throw new Error(`runs/search answered ${res.status}: ${JSON.stringify(body)}`);
    const runs = body.runs ?? [];
    return { runsFound: runs.length, bestRunName: runs[0]?.info.run_name ?? "-" };
  } finally {
    await server.close();
  }
}
