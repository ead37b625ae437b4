/**
 * `keel train` as a library call: load the data, build the catalog model's pipeline, fit it with
 * its training curve logged, evaluate it (test file, cross-validation or a seeded holdout) beside
 * the dummy baseline on the same split, package it (model.json + model.onnx) and record it all
 * in one tracked run; optionally register the package as a new model version.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ProgressSink } from "../../data/versioning/progress-sink.js";
import { isKeelError } from "../../errors.js";
import { registerModel } from "../../registry/register-model.js";
import type { ActiveRun, Tracker } from "../../track/index.js";
import type { IterationCallback } from "../core/capabilities.js";
import type { AnyEstimator } from "../core/estimator.js";
import { DummyClassifier, DummyRegressor } from "../dummy/index.js";
import { saveModelPackage } from "../model-package/index.js";
import { defaultPipeline, type Pipeline } from "../pipeline/index.js";
import type { ColumnRole } from "../transform/column-roles.js";
import {
  crossValidate,
  fitPipeline,
  type LabelledData,
  type Predictions,
  type Problem,
  predict,
  scorePredictions,
  takeRows,
} from "./fit-evaluate.js";
import { holdoutSplit } from "./folds.js";
import { createModel, type ParamLiteral } from "./model-catalog.js";
import { type PreparedData, prepareData } from "./prepare-data.js";
import { inRun, logConfusion, logDataset } from "./run-records.js";
import { foldSummary, lift, prefixed, type Scores } from "./scores.js";
import { isClassification, type Task } from "./task.js";

/** Options of {@link trainModel} (the `keel train` flags). */
export interface TrainOptions {
  /** Training data file (or a tracked data path). */
  readonly data: string;
  /** Target column. */
  readonly target: string;
  /** Test file; without it and without `cv`, a seeded 20% holdout of `data` is the test set. */
  readonly test?: string | undefined;
  /** Cross-validation folds (>= 2). */
  readonly cv?: number | undefined;
  /** Catalog model name (default "gbdt"). */
  readonly model?: string | undefined;
  /** Estimator params (`--param k=v`). */
  readonly params?: Readonly<Record<string, ParamLiteral>> | undefined;
  /** Task override. */
  readonly task?: string | undefined;
  /** Column role overrides. */
  readonly roles?: Readonly<Record<string, ColumnRole>> | undefined;
  /** Experiment name (default: the tracker's). */
  readonly experiment?: string | undefined;
  /** Run name. */
  readonly runName?: string | undefined;
  /** Register the model package under this name. */
  readonly register?: string | undefined;
  /** Alias for the registered version (e.g. challenger). */
  readonly alias?: string | undefined;
  /** Seed of the holdout split and the CV folds (default 0). */
  readonly seed?: number | undefined;
  /** Parent run: the training run is nested under it (e.g. the refit of a model search). */
  readonly parent?: { readonly id: string; readonly experimentId: string } | string | undefined;
}

/** What {@link trainModel} needs from its caller. */
export interface TrainDeps {
  /** Where the run goes. */
  readonly tracker: Tracker;
  /** Progress of boosting iterations and CV folds (the CLI draws a bar on a TTY). */
  readonly progress?: ProgressSink | undefined;
  /** Folder relative data paths start from (default: the process's cwd). */
  readonly cwd?: string | undefined;
}

/** The outcome of a training run. */
export interface TrainResult {
  /** Run id. */
  readonly runId: string;
  /** `runs:/<id>/model`, or null when the model could not be packaged. */
  readonly modelUri: string | null;
  /** Task trained for. */
  readonly task: Task;
  /** Catalog model name. */
  readonly model: string;
  /** How the metrics were measured. */
  readonly evaluation: "test" | "holdout" | "cv" | "test+cv";
  /** The model's metrics (`test_*`, `cv_*_mean`, `cv_*_std`). */
  readonly metrics: Scores;
  /** The dummy baseline's metrics on the same split, same keys. */
  readonly baseline: Scores;
  /** Model minus baseline per metric, signed so positive is better. */
  readonly lift: Scores;
  /** Why the model was not packaged, when it was not. */
  readonly packageError?: string;
  /** The registered version, with `--register`. */
  readonly registered?: { readonly name: string; readonly version: string; readonly alias?: string };
}

/** Trains, evaluates, packages and tracks one model; see {@link TrainOptions}. */
export async function trainModel(options: TrainOptions, deps: TrainDeps): Promise<TrainResult> {
  const modelName = options.model ?? "gbdt";
  const prepared = await prepareData(options);
  const { problem } = prepared;
  const { entry, estimator } = createModel(modelName, problem.task, options.params ?? {});
  const pipe = defaultPipeline(prepared.roles, estimator, entry.preprocess);
  const baselinePipe = defaultPipeline(prepared.roles, dummyFor(problem.task), { impute: true });
  const seed = options.seed ?? 0;
  const evaluation = evaluationKind(options);
  const run = await deps.tracker.startRun({
    experiment: options.experiment,
    runName: options.runName,
    tags: { "keel.command": "train" },
    parent: options.parent,
  });
  return inRun(run, async () => {
    await run.logParams({
      model: modelName,
      estimator: estimator.typeName,
      task: problem.task,
      target: problem.target,
      evaluation,
      ...(options.cv !== undefined ? { cv: options.cv } : {}),
      seed,
      n_rows: prepared.train.X.rowCount,
      n_features: prepared.roles.columns.filter((c) => c.role !== "ignore").length,
      ...estimatorParams(estimator),
    });
    await run.logDict(
      { columns: prepared.roles.columns, warnings: prepared.roles.warnings, classes: problem.classes },
      "columns.json",
    );
    const trainDataset = await logDataset(deps.tracker, run, options.data, "train", deps.cwd);
    if (options.test !== undefined) await logDataset(deps.tracker, run, options.test, "test", deps.cwd);

    const metrics: Scores = {};
    const baseline: Scores = {};
    let evalSet: { y: Int32Array | Float64Array; pred: Predictions } | undefined;
    if (options.cv !== undefined) {
      const cv = withProgress(deps.progress, options.cv, "cv folds", (advance) =>
        crossValidate(pipe, prepared.train, problem, options.cv!, seed, (f, scores) => {
          run.logMetrics(prefixed("fold_", scores), { step: f });
          advance();
        }),
      );
      Object.assign(metrics, foldSummary(cv.folds));
      const base = crossValidate(baselinePipe, prepared.train, problem, options.cv, seed);
      Object.assign(baseline, foldSummary(base.folds));
      evalSet = { y: prepared.train.y, pred: cv.outOfFold };
    }
    const { fitData, testData } = finalSplit(prepared, evaluation, seed);
    const started = performance.now();
    const fitted = fitWithCurve(pipe, fitData, problem, run, deps.progress, entry.iterative === true);
    run.logMetric("fit_seconds", (performance.now() - started) / 1000);
    if (testData) {
      const pred = predict(fitted, testData.X, problem);
      Object.assign(metrics, prefixed("test_", scorePredictions(problem, testData.y, pred)));
      const base = fitPipeline(baselinePipe.clone(), fitData, problem);
      Object.assign(
        baseline,
        prefixed("test_", scorePredictions(problem, testData.y, predict(base, testData.X, problem))),
      );
      evalSet = { y: testData.y, pred };
    }
    run.logMetrics(metrics);
    run.logMetrics(prefixed("baseline_", baseline));
    if (isClassification(problem.task) && evalSet?.pred.label) {
      await logConfusion(run, evalSet.y as Int32Array, evalSet.pred.label, problem.classes!);
    }

    const packaged = await packageModel(run, fitted, prepared, {
      name: options.register ?? `${modelName}-${problem.target}`,
      training: { dataset: options.data, digest: trainDataset.digest },
      metrics,
    });
    const packageError = packaged.ok ? undefined : packaged.error;
    const modelUri = packageError ? null : `runs:/${run.id}/model`;
    let registered: TrainResult["registered"];
    if (options.register !== undefined) {
      if (packageError || !modelUri) throw packageError;
      const mv = await registerModel(deps.tracker.store, await run.artifacts(), {
        name: options.register,
        from: modelUri,
        alias: options.alias,
      });
      registered = { name: mv.name, version: mv.version, ...(options.alias ? { alias: options.alias } : {}) };
    }
    return {
      runId: run.id,
      modelUri,
      task: problem.task,
      model: modelName,
      evaluation,
      metrics,
      baseline,
      lift: liftOf(metrics, baseline),
      ...(packageError ? { packageError: packageError.message } : {}),
      ...(registered ? { registered } : {}),
    };
  });
}

/** The dummy baseline of a task: class priors, or the mean. */
export function dummyFor(task: Task): AnyEstimator {
  return isClassification(task) ? new DummyClassifier({ strategy: "prior" }) : new DummyRegressor();
}

/** Model minus baseline for every metric both have (std excluded), positive = better. */
export function liftOf(metrics: Scores, baseline: Scores): Scores {
  const out: Scores = {};
  for (const [key, value] of Object.entries(metrics)) {
    const base = baseline[key];
    if (base !== undefined && !key.endsWith("_std")) out[key] = lift(key, value, base);
  }
  return out;
}

function evaluationKind(options: TrainOptions): TrainResult["evaluation"] {
  if (options.test !== undefined) return options.cv !== undefined ? "test+cv" : "test";
  return options.cv !== undefined ? "cv" : "holdout";
}

/** Rows the packaged model is fitted on, and the rows its test metrics come from. */
function finalSplit(
  prepared: PreparedData,
  evaluation: TrainResult["evaluation"],
  seed: number,
): { fitData: LabelledData; testData?: LabelledData } {
  if (prepared.test) return { fitData: prepared.train, testData: prepared.test };
  if (evaluation === "cv") return { fitData: prepared.train };
  const y = isClassification(prepared.problem.task) ? (prepared.train.y as Int32Array) : undefined;
  const split = holdoutSplit(prepared.train.X.rowCount, 0.2, seed, y);
  return { fitData: takeRows(prepared.train, split.train), testData: takeRows(prepared.train, split.test) };
}

/** Fits the final pipeline, logging each iteration's losses as metric history (step = iteration). */
function fitWithCurve(
  pipe: Pipeline,
  data: LabelledData,
  problem: Problem,
  run: ActiveRun,
  progress: ProgressSink | undefined,
  iterative: boolean,
): Pipeline {
  const maxIter = Number((pipe.finalStep.getParams() as { maxIter?: number }).maxIter ?? 0);
  const total = iterative && maxIter > 0 ? maxIter : 0;
  return withProgress(progress, total, "boosting", (advance) => {
    const onIteration: IterationCallback = (iteration, values) => {
      for (const [key, value] of Object.entries(values)) {
        if (Number.isFinite(value)) run.logMetric(curveKey(key), value, { step: iteration });
      }
      advance();
    };
    return fitPipeline(pipe, data, problem, onIteration);
  });
}

/** Training-curve keys: learners that report a bare `loss` get `train_loss`. */
function curveKey(key: string): string {
  return key === "loss" ? "train_loss" : key;
}

/** Runs synchronous `work` as one progress phase (a no-op sink when there is no bar or no total). */
function withProgress<T>(
  sink: ProgressSink | undefined,
  total: number,
  label: string,
  work: (advance: () => void) => T,
): T {
  if (!sink || total <= 0) return work(() => {});
  sink.start(total, label);
  try {
    return work(() => sink.advance(1));
  } finally {
    sink.stop();
  }
}

/** Estimator params as run params (nested objects as JSON, nulls as "None" as MLflow prints them). */
function estimatorParams(est: AnyEstimator): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(est.getParams() as Record<string, unknown>)) {
    out[k] =
      v === null ? "None" : typeof v === "object" ? JSON.stringify(v) : (v as string | number | boolean);
  }
  return out;
}

/** Saves the model package into a temp folder and logs it under `model/`. */
async function packageModel(
  run: ActiveRun,
  fitted: Pipeline,
  prepared: PreparedData,
  meta: { name: string; training: { dataset: string; digest: string }; metrics: Scores },
): Promise<{ ok: true } | { ok: false; error: Error }> {
  const dir = await mkdtemp(join(tmpdir(), "keel-train-"));
  try {
    await saveModelPackage(join(dir, "model"), fitted, {
      name: meta.name,
      inputs: prepared.train.X,
      ...(prepared.problem.classes ? { classLabels: prepared.problem.classes } : {}),
      target: prepared.problem.target,
      training: meta.training,
      metrics: meta.metrics,
    });
    await run.logArtifacts(join(dir, "model"), "model");
    return { ok: true };
  } catch (e) {
    // A learner without an ONNX converter still trains and reports; only packaging is skipped.
    if (!isKeelError(e)) throw e;
    await run.setTag("keel.package_error", e.message.slice(0, 5000));
    return { ok: false, error: e };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
