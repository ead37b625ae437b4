/**
 * `keel evaluate`: score a packaged model (any MODEL_REF) on a labelled file with ONNX Runtime —
 * the graph that would be served — and track the evaluation as a run: metrics, confusion matrix
 * and calibration table for classifiers, the dataset input, and tags pointing at the model.
 */
import type { Tracker } from "../../track/index.js";
import type { ModelManifest } from "../model-package/index.js";
import type { Calibration, ConfusionTable } from "./report-tables.js";
import { confusionTable } from "./report-tables.js";
import { inRun, logCalibration, logConfusion, logDataset } from "./run-records.js";
import { scoreModel } from "./score-model.js";
import type { Scores } from "./scores.js";

/** Options of {@link evaluateModel}. */
export interface EvaluateOptions {
  /** MODEL_REF: `models:/name/3`, `models:/name@alias`, `runs:/<id>/model`, or a folder. */
  readonly model: string;
  /** Labelled data file. */
  readonly data: string;
  /** Target column (default: the one recorded in model.json). */
  readonly target?: string | undefined;
  /** Experiment name. */
  readonly experiment?: string | undefined;
  /** Run name. */
  readonly runName?: string | undefined;
}

/** Result of {@link evaluateModel}. */
export interface EvaluateResult {
  /** The evaluation run. */
  readonly runId: string;
  /** The model's task. */
  readonly task: ModelManifest["task"];
  /** `test_*` metrics. */
  readonly metrics: Scores;
  /** Classifiers: counts by true × predicted class. */
  readonly confusion?: ConfusionTable;
  /** Classifiers: reliability table (10 bins). */
  readonly calibration?: Calibration;
  /** The registry version evaluated, when the reference went through the registry. */
  readonly modelVersion?: { readonly name: string; readonly version: string };
}

/** Scores the package behind `options.model` on `options.data` and tracks it. */
export async function evaluateModel(
  options: EvaluateOptions,
  deps: { tracker: Tracker; cwd?: string | undefined },
): Promise<EvaluateResult> {
  const { tracker } = deps;
  const scored = await scoreModel(
    { store: tracker.store, trackingUri: tracker.trackingUri },
    options.model,
    options.data,
    options.target,
  );
  const { manifest, resolved, problem, y, pred, metrics } = scored;
  const classes = problem.classes;
  const mv = resolved.modelVersion;
  const run = await tracker.startRun({
    experiment: options.experiment,
    runName: options.runName,
    tags: {
      "keel.command": "evaluate",
      "keel.model_ref": options.model,
      "keel.model_uri": resolved.uri,
      ...(mv ? { "keel.model_version": `models:/${mv.name}/${mv.version}` } : {}),
      ...(resolved.runId ? { "keel.source_run": resolved.runId } : {}),
    },
  });
  return await inRun(run, async () => {
    await run.logParams({
      model_ref: options.model,
      task: manifest.task,
      target: problem.target,
      model_name: manifest.name,
    });
    await logDataset(tracker, run, options.data, "eval", deps.cwd);
    run.logMetrics(metrics);
    let confusion: ConfusionTable | undefined;
    let calibration: Calibration | undefined;
    if (classes && pred.label && pred.proba) {
      await logConfusion(run, y as Int32Array, pred.label, classes);
      confusion = confusionTable(y as Int32Array, pred.label, classes);
      calibration = await logCalibration(run, y as Int32Array, pred.proba, classes, "test_");
    }
    return {
      runId: run.id,
      task: manifest.task,
      metrics: calibration ? { ...metrics, test_ece: calibration.ece } : metrics,
      ...(confusion ? { confusion } : {}),
      ...(calibration ? { calibration } : {}),
      ...(mv ? { modelVersion: { name: mv.name, version: mv.version } } : {}),
    };
  });
}
