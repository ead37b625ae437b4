/**
 * Exports a fitted pipeline (transformers then a classifier or regressor) or a single fitted
 * estimator to one ONNX graph with one named input per raw column, and derives the signature
 * that model.json stores. Outputs follow one convention: `label` (int64 [N] class index) and
 * `probabilities` (float [N, C], a plain tensor, never a ZipMap) for classifiers, `variable`
 * (float [N, 1]) for regressors, `features` (float [N, F]) for a transformer-only export.
 */
import { invalidParam } from "../../errors.js";
import { KEEL_VERSION } from "../../version.js";
import type { AnyEstimator } from "../core/estimator.js";
import type { Table } from "../core/table.js";
import {
  converterFor,
  type ExportContext,
  type InputAnnotation,
  type PredictorOutputs,
} from "./converter-registry.js";
import "./converters/index.js";
import { GraphBuilder } from "./graph-builder.js";
import { argmaxRows, cast, concatColumns } from "./graph-ops.js";
import type { Signature, SignatureInput, SignatureOutput } from "./signature.js";
import { type ColumnKind, type SymbolicColumn, type SymbolicTable, tensorTypeOf } from "./symbolic-table.js";

/** One raw input column of the exported graph. */
export interface OnnxInput {
  /** Column name (also the ONNX input name). */
  readonly name: string;
  /** Column kind as in the training table. */
  readonly kind: ColumnKind;
}

/** Options of {@link exportOnnx}. */
export interface ExportOnnxOptions {
  /** The raw columns the model was fitted on, in order (see {@link onnxInputsOf}). */
  readonly inputs: readonly OnnxInput[];
  /** Graph name / doc string. */
  readonly name?: string;
  /** Extra `metadata_props` entries. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Result of an export. */
export interface OnnxExport {
  /** Serialised `onnx.ModelProto`. */
  readonly bytes: Uint8Array;
  /** Inputs and outputs, as model.json stores them. */
  readonly signature: Signature;
  /** What the graph predicts. */
  readonly task: "binary" | "multiclass" | "regression" | "transform";
}

/** The ONNX inputs matching a training table's columns (names and kinds, in order). */
export function onnxInputsOf(table: Table): OnnxInput[] {
  return table.columns.map((c) => ({ name: c.name, kind: c.kind }));
}

/** The steps of a pipeline (`[name, estimator][]` param), or `[model]` for a single estimator. */
export function stepsOf(model: AnyEstimator): AnyEstimator[] {
  const steps = (model.getParams() as { steps?: unknown }).steps;
  if (model.typeName === "Pipeline" && Array.isArray(steps)) {
    return steps.map((s) => (Array.isArray(s) ? s[1] : s) as AnyEstimator);
  }
  return [model];
}

/** Builds the ONNX graph for a fitted pipeline or estimator; throws a KeelError when a step cannot be exported. */
export function exportOnnx(model: AnyEstimator, options: ExportOnnxOptions): OnnxExport {
  if (options.inputs.length === 0) throw invalidParam("ONNX export needs at least one input column");
  const g = new GraphBuilder();
  const annotations = new Map<string, InputAnnotation>();
  const ctx: ExportContext = {
    g,
    annotateInput: (name, a) => annotations.set(name, { ...annotations.get(name), ...a }),
  };
  let table: SymbolicTable = {
    columns: options.inputs.map((inp) => ({
      name: inp.name,
      kind: inp.kind,
      tensor: g.input(inp.name, tensorTypeOf(inp.kind), ["N", 1]),
      sources: [inp.name],
      missingSafe: false,
    })),
  };
  const steps = stepsOf(model);
  const last = steps[steps.length - 1]!;
  for (const step of steps) {
    const conv = converterFor(step);
    if (conv.kind === "transformer") {
      table = conv.convert(ctx, step, table);
      continue;
    }
    if (step !== last) throw invalidParam(`ONNX export: ${step.typeName} must be the last pipeline step`);
  }
  const lastConv = converterFor(last);
  const { outputs, task } =
    lastConv.kind === "predictor"
      ? predictorOutputs(
          g,
          lastConv.convert(ctx, last, featureMatrix(g, table.columns), table.columns.length),
          last,
        )
      : transformOutputs(g, table.columns);
  const estimatorHandlesNaN = lastConv.kind === "predictor" && last.tags.allowNaN;
  const inputs = signatureInputs(options.inputs, table.columns, annotations, estimatorHandlesNaN);
  const bytes = g.toBytes({
    graphName: options.name ?? model.typeName,
    producerVersion: KEEL_VERSION,
    docString: `Keel ${model.typeName} (${steps.map((s) => s.typeName).join(" -> ")})`,
    metadata: options.metadata,
  });
  return { bytes, signature: { inputs, outputs }, task };
}

/** Names the predictor's tensors `label` + `probabilities` or `variable` and declares them as outputs. */
function predictorOutputs(
  g: GraphBuilder,
  out: PredictorOutputs,
  est: AnyEstimator,
): { outputs: SignatureOutput[]; task: OnnxExport["task"] } {
  if (out.probabilities) {
    const k = (est as unknown as { nClasses: number }).nClasses;
    g.nodeTo("Identity", [out.probabilities], ["probabilities"]);
    g.nodeTo("Identity", [out.label ?? argmaxRows(g, "probabilities")], ["label"]);
    g.output("label", "int64", ["N"]);
    g.output("probabilities", "float", ["N", k]);
    return {
      outputs: [
        { name: "label", type: "int64", shape: [-1] },
        { name: "probabilities", type: "float", shape: [-1, k] },
      ],
      task: k === 2 ? "binary" : "multiclass",
    };
  }
  if (!out.variable) throw new Error(`ONNX converter of ${est.typeName} produced no output`);
  g.nodeTo("Identity", [out.variable], ["variable"]);
  g.output("variable", "float", ["N", 1]);
  return { outputs: [{ name: "variable", type: "float", shape: [-1, 1] }], task: "regression" };
}

/**
 * Outputs of a transformer-only export: numeric columns as float `features` [N, F] and string
 * columns as `strings` [N, S], each in table order (used by parity checks of transformers).
 */
function transformOutputs(
  g: GraphBuilder,
  columns: readonly SymbolicColumn[],
): { outputs: SignatureOutput[]; task: OnnxExport["task"] } {
  const numeric = columns.filter((c) => c.kind !== "string");
  const strings = columns.filter((c) => c.kind === "string");
  const outputs: SignatureOutput[] = [];
  if (numeric.length > 0) {
    g.nodeTo("Identity", [featureMatrix(g, numeric)], ["features"]);
    g.output("features", "float", ["N", numeric.length]);
    outputs.push({ name: "features", type: "float", shape: [-1, numeric.length] });
  }
  if (strings.length > 0) {
    g.nodeTo(
      "Identity",
      [
        concatColumns(
          g,
          strings.map((c) => c.tensor),
          "string_matrix",
        ),
      ],
      ["strings"],
    );
    g.output("strings", "string", ["N", strings.length]);
    outputs.push({ name: "strings", type: "string", shape: [-1, strings.length] });
  }
  return { outputs, task: "transform" };
}

/** Concatenates the final columns into the float [N, F] matrix the estimator reads. */
function featureMatrix(g: GraphBuilder, columns: readonly SymbolicColumn[]): string {
  if (columns.length === 0) throw invalidParam("ONNX export: the pipeline leaves no feature columns");
  const tensors = columns.map((c) => {
    if (c.kind === "string") {
      throw invalidParam(
        `ONNX export: column '${c.name}' still holds strings when it reaches the estimator; add an encoder step for it`,
      );
    }
    return c.kind === "datetime" ? cast(g, c.tensor, "float", `${c.name}_float`) : c.tensor;
  });
  return concatColumns(g, tensors, "features_matrix");
}

/**
 * Signature inputs: a raw column is nullable when every feature derived from it is safe from
 * missing values (imputed or encoded) or reaches an estimator that accepts NaN.
 */
function signatureInputs(
  inputs: readonly OnnxInput[],
  finalColumns: readonly SymbolicColumn[],
  annotations: ReadonlyMap<string, InputAnnotation>,
  estimatorHandlesNaN: boolean,
): SignatureInput[] {
  return inputs.map((inp) => {
    const derived = finalColumns.filter((c) => c.sources.includes(inp.name));
    const nullable = derived.every((c) => c.missingSafe || (estimatorHandlesNaN && c.kind !== "string"));
    const type = inp.kind === "numeric" ? "number" : inp.kind;
    const a = annotations.get(inp.name);
    return {
      name: inp.name,
      type,
      nullable,
      ...(a?.categories ? { categories: [...a.categories] } : {}),
      ...(a?.unknownCategory ? { unknownCategory: a.unknownCategory } : {}),
    };
  });
}
