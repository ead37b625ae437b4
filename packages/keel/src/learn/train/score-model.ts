/**
 * Scores a packaged model (any MODEL_REF) on a labelled file with ONNX Runtime — the graph that
 * would be served — without tracking anything: the shared core of `keel evaluate` and
 * `keel ci gate`.
 */
import { invalidParam } from "../../errors.js";
import type { ResolvedModel } from "../../registry/model-ref.js";
import { dropColumns, getColumn, type Table } from "../core/table.js";
import { columnLabels, encodeWithClasses, regressionTarget } from "../core/targets.js";
import { loadModelPackage, type ModelManifest } from "../model-package/index.js";
import type { OnnxInput } from "../onnx/export-onnx.js";
import { type OnnxOutputs, OnnxPredictor } from "../onnx/onnx-predict.js";
import { fetchModelPackage, type ModelSource } from "./fetch-model-package.js";
import type { Predictions, Problem } from "./fit-evaluate.js";
import { scorePredictions } from "./fit-evaluate.js";
import "./imported-onnx-model.js";
import { loadTable } from "./load-table.js";
import { prefixed, type Scores } from "./scores.js";
import { isClassification } from "./task.js";

/** A model scored on labelled data. */
export interface ScoredModel {
  /** The package's manifest. */
  readonly manifest: ModelManifest;
  /** What the reference resolved to (registry version, run, URI). */
  readonly resolved: ResolvedModel;
  /** Task, target and classes as the model knows them. */
  readonly problem: Problem;
  /** The encoded true target of the data. */
  readonly y: Int32Array | Float64Array;
  /** The model's predictions. */
  readonly pred: Predictions;
  /** `test_*` metrics. */
  readonly metrics: Scores;
}

/**
 * Loads the package behind `ref`, checks `dataPath` against its signature, predicts with ONNX
 * Runtime and scores the predictions. `target` defaults to the column recorded in model.json.
 */
export async function scoreModel(
  source: ModelSource,
  ref: string,
  dataPath: string,
  target?: string,
): Promise<ScoredModel> {
  const local = await fetchModelPackage(source, ref);
  try {
    const pkg = await loadModelPackage(local.dir);
    const { manifest } = pkg;
    const targetColumn = target ?? manifest.target;
    if (targetColumn === undefined) {
      throw invalidParam(`The model package does not record its target column: pass --target COLUMN`);
    }
    const table = await loadTable(dataPath, "--data");
    const col = getColumn(table, targetColumn);
    const classes = manifest.classLabels?.map(String) ?? null;
    const problem: Problem = { task: manifest.task, target: targetColumn, classes };
    const y = classes ? encodeWithClasses(columnLabels(col), classes, targetColumn) : regressionTarget(col);
    const X = dropColumns(table, [targetColumn]);
    const predictor = await OnnxPredictor.create(pkg.onnx, onnxInputs(manifest, X, dataPath));
    let outputs: OnnxOutputs;
    try {
      outputs = await predictor.run(X);
    } finally {
      await predictor.release();
    }
    const pred = toPredictions(outputs, problem);
    const metrics = prefixed("test_", scorePredictions(problem, y, pred));
    return { manifest, resolved: local.resolved, problem, y, pred, metrics };
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
