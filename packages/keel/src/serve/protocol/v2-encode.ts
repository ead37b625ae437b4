/**
 * Open Inference Protocol responses: model metadata from the signature, and response output
 * tensors from a prediction. Classifiers answer `label` (the class label, shape [n]) and
 * `probabilities` (FP32, shape [n, classes]); regressors answer `variable` (FP32, shape [n]).
 */
import type { Prediction } from "@keel/runtime";
import type { ServedModel } from "../served-model.js";
import { ADVERTISED_DATATYPE, labelDatatype, type V2Datatype } from "./v2-datatypes.js";

/** A tensor's name, datatype and shape (-1 = any number of rows). */
export interface V2TensorMetadata {
  /** Tensor name. */
  readonly name: string;
  /** Protocol datatype. */
  readonly datatype: V2Datatype;
  /** Shape; -1 is the batch dimension. */
  readonly shape: readonly number[];
}

/** One output tensor of an inference response. */
export interface V2ResponseOutput extends V2TensorMetadata {
  /** Row-major elements. */
  readonly data: readonly (string | number | boolean)[];
  /** Per-output parameters (`classes` of the probability columns, comma-separated). */
  readonly parameters?: Readonly<Record<string, string>>;
}

/** The output tensors a model answers, in response order. */
export function outputMetadata(model: ServedModel): V2TensorMetadata[] {
  if (model.task === "regression") return [{ name: "variable", datatype: "FP32", shape: [-1] }];
  return [
    { name: "label", datatype: labelDatatype(model.classes), shape: [-1] },
    { name: "probabilities", datatype: "FP32", shape: [-1, model.classes.length] },
  ];
}

/** `$metadata_model_response` for one model name (all its hosted `versions`). */
export function modelMetadata(model: ServedModel, versions: readonly string[]): Record<string, unknown> {
  return {
    name: model.name,
    versions,
    platform: "onnx_onnxv1",
    inputs: model.signature.inputs.map((i) => ({
      name: i.name,
      datatype: ADVERTISED_DATATYPE[i.type],
      shape: [-1],
      parameters: {
        type: i.type,
        nullable: i.nullable,
        ...(i.categories ? { categories: i.categories.join(",") } : {}),
      },
    })),
    outputs: outputMetadata(model),
  };
}

/** Response output tensors of `p`, restricted to `wanted` names when given. */
export function encodeOutputs(p: Prediction, wanted?: readonly string[]): V2ResponseOutput[] {
  const n = p.nRows;
  const all: V2ResponseOutput[] =
    p.task === "regression"
      ? [{ name: "variable", datatype: "FP32", shape: [n], data: Array.from(p.values) }]
      : [
          { name: "label", datatype: labelDatatype(p.classes), shape: [n], data: p.labels },
          {
            name: "probabilities",
            datatype: "FP32",
            shape: [n, p.classes.length],
            data: Array.from(p.probabilities),
            parameters: { classes: p.classes.map(String).join(",") },
          },
        ];
  return wanted === undefined ? all : all.filter((o) => wanted.includes(o.name));
}
