/**
 * `keel evaluate`: score a packaged model (any MODEL_REF) on a labelled file with ONNX Runtime —
 * the graph that would be served — and track the evaluation as a run: metrics, confusion matrix
 * and calibration table for classifiers, the dataset input, and tags pointing at the model.
 */
import { invalidParam } from "../../errors.js";
import type { Tracker } from "../../track/index.js";
import { dropColumns, getColumn, type Table } from "../core/table.js";
import { columnLabels, encodeWithClasses, regressionTarget } from "../core/targets.js";
import { loadModelPackage, type ModelManifest } from "../model-package/index.js";
import type { OnnxInput } from "../onnx/export-onnx.js";
import { type OnnxOutputs, OnnxPredictor } from "../onnx/onnx-predict.js";
import { fetchModelPackage } from "./fetch-model-package.js";
import type { Predictions, Problem } from "./fit-evaluate.js";
import { scorePredictions } from "./fit-evaluate.js";
import "./imported-onnx-model.js";
import { loadTable } from "./load-table.js";
import type { Calibration, ConfusionTable } from "./report-tables.js";
import { confusionTable } from "./report-tables.js";
import { inRun, logCalibration, logConfusion, logDataset } from "./run-records.js";
import { prefixed, type Scores } from "./scores.js";
import { isClassification } from "./task.js";

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
  const local = await fetchModelPackage(
    { store: tracker.store, trackingUri: tracker.trackingUri },
    options.model,
  );
  try {
    const pkg = await loadModelPackage(local.dir);
    const { manifest } = pkg;
    const target = options.target ?? manifest.target;
    if (target === undefined) {
      throw invalidParam(`The model package does not record its target column: pass --target COLUMN`);
    }
    const table = await loadTable(options.data, "--data");
    const col = getColumn(table, target);
    const classes = manifest.classLabels?.map(String) ?? null;
    const problem: Problem = { task: manifest.task, target, classes };
    const y = classes ? encodeWithClasses(columnLabels(col), classes, target) : regressionTarget(col);
    const X = dropColumns(table, [target]);
    const predictor = await OnnxPredictor.create(pkg.onnx, onnxInputs(manifest, X, options.data));
    let outputs: OnnxOutputs;
    try {
      outputs = await predictor.run(X);
    } finally {
      await predictor.release();
    }
    const pred = toPredictions(outputs, problem);
    const metrics = prefixed("test_", scorePredictions(problem, y, pred));
    const mv = local.resolved.modelVersion;
    const run = await tracker.startRun({
      experiment: options.experiment,
      runName: options.runName,
      tags: {
        "keel.command": "evaluate",
        "keel.model_ref": options.model,
        "keel.model_uri": local.resolved.uri,
        ...(mv ? { "keel.model_version": `models:/${mv.name}/${mv.version}` } : {}),
        ...(local.resolved.runId ? { "keel.source_run": local.resolved.runId } : {}),
      },
    });
    return await inRun(run, async () => {
      await run.logParams({
        model_ref: options.model,
        task: manifest.task,
        target,
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
  } finally {
    await local.cleanup();
  }
}

/** The graph inputs for `X`, checked against the signature: every input present with a matching kind. */
function onnxInputs(manifest: ModelManifest, X: Table, file: string): OnnxInput[] {
  const problems: string[] = [];
  const inputs = manifest.signature.inputs.map((inp): OnnxInput => {
    const col = X.columns.find((c) => c.name === inp.name);
    if (!col) problems.push(`column '${inp.name}' is missing`);
    else if ((inp.type === "string") !== (col.kind === "string")) {
      problems.push(`column '${inp.name}' is ${col.kind} but the model expects ${inp.type}`);
    }
    const kind = inp.type === "string" ? "string" : inp.type === "number" ? "numeric" : inp.type;
    return { name: inp.name, kind };
  });
  if (problems.length > 0) {
    throw invalidParam(`${file} does not match the model's signature: ${problems.join("; ")}`);
  }
  return inputs;
}

function toPredictions(out: OnnxOutputs, problem: Problem): Predictions {
  if (!isClassification(problem.task)) {
    if (!out.variable) throw invalidParam("The model graph has no 'variable' output for a regression task");
    return { value: Float64Array.from(out.variable) };
  }
  if (!out.label || !out.probabilities) {
    throw invalidParam("The model graph lacks the 'label' and 'probabilities' outputs of a classifier");
  }
  const k = problem.classes!.length;
  const proba = { nRows: out.label.length, nClasses: k, data: Float64Array.from(out.probabilities) };
  return { label: out.label, proba };
}
