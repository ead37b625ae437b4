/**
 * The part of `model.json` the runtime reads, and a structural check of it. Keel validates the
 * whole file with Zod when it writes it; the runtime re-checks only what it relies on, by hand,
 * so that it stays dependency-free.
 */
import { KeelRuntimeError } from "./runtime-error.js";

/** model.json format version this runtime reads. */
export const MANIFEST_FORMAT_VERSION = 1;

/** Column value types a signature can declare. */
export type InputType = "number" | "boolean" | "string" | "datetime";

/** One model input: a raw column. */
export interface SignatureInput {
  /** Column name (also the ONNX input name). */
  readonly name: string;
  /** Value type: numbers and booleans feed float32, strings feed string, datetimes feed float64 epoch ms. */
  readonly type: InputType;
  /** Whether missing values (null, NaN) are accepted: the graph imputes them. */
  readonly nullable: boolean;
  /** Categories seen in training (string columns). */
  readonly categories?: readonly string[];
  /** What an unseen category does: rejected ("error") or encoded as unknown ("ignore"). */
  readonly unknownCategory?: "error" | "ignore";
}

/** One model output. */
export interface SignatureOutput {
  /** ONNX output name: `label`, `probabilities` or `variable`. */
  readonly name: string;
  /** Element type. */
  readonly type: "int64" | "float" | "string";
  /** Shape; -1 is the batch dimension. */
  readonly shape: readonly number[];
}

/** Ordered inputs and outputs of a model. */
export interface Signature {
  /** Inputs in ONNX graph order. */
  readonly inputs: readonly SignatureInput[];
  /** Outputs. */
  readonly outputs: readonly SignatureOutput[];
}

/** Hash and size of one package file. */
export interface FileDigest {
  /** Lower-case hex SHA-256 of the file's bytes. */
  readonly sha256: string;
  /** Size in bytes. */
  readonly size: number;
}

/** What the runtime needs from model.json (the file holds more: pipeline, metrics, lineage). */
export interface ModelManifest {
  /** Format version (see {@link MANIFEST_FORMAT_VERSION}). */
  readonly formatVersion: number;
  /** Model name. */
  readonly name: string;
  /** Prediction task. */
  readonly task: "binary" | "multiclass" | "regression";
  /** Input and output signature. */
  readonly signature: Signature;
  /** Class labels in class-index order (classification only). */
  readonly classLabels?: readonly (string | number | boolean)[];
  /** Digest of every other package file, keyed by file name (`model.onnx`). */
  readonly files: Readonly<Record<string, FileDigest>>;
  /** SHA-256 of the canonical JSON of this manifest without this field. */
  readonly manifestSha256: string;
}

const INPUT_TYPES: readonly InputType[] = ["number", "boolean", "string", "datetime"];

/** Parses and structurally checks model.json; every problem found is listed in one error. */
export function parseManifest(text: string, source = "model.json"): ModelManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new KeelRuntimeError(
      "INVALID_PARAMETER_VALUE",
      `${source} is not valid JSON: ${(e as Error).message}`,
    );
  }
  const problems: string[] = [];
  const m = raw as Partial<ModelManifest> | null;
  if (m === null || typeof m !== "object") {
    throw new KeelRuntimeError("INVALID_PARAMETER_VALUE", `${source} must hold a JSON object`);
  }
  if (m.formatVersion !== MANIFEST_FORMAT_VERSION) {
    problems.push(
      `formatVersion is ${String(m.formatVersion)}; this runtime reads ${MANIFEST_FORMAT_VERSION}`,
    );
  }
  if (typeof m.name !== "string") problems.push("name must be a string");
  if (m.task !== "binary" && m.task !== "multiclass" && m.task !== "regression") {
    problems.push(`task must be binary, multiclass or regression, not ${String(m.task)}`);
  }
  if (m.task !== "regression" && m.task !== undefined && !Array.isArray(m.classLabels)) {
    problems.push("classLabels must list the class labels of a classifier");
  }
  const inputs = m.signature?.inputs;
  if (!Array.isArray(inputs) || !Array.isArray(m.signature?.outputs)) {
    problems.push("signature must have inputs and outputs arrays");
  } else {
    inputs.forEach((inp, i) => {
      if (typeof inp?.name !== "string") problems.push(`signature.inputs[${i}].name must be a string`);
      if (!INPUT_TYPES.includes(inp?.type)) {
        problems.push(`signature.inputs[${i}].type must be one of ${INPUT_TYPES.join(", ")}`);
      }
      if (typeof inp?.nullable !== "boolean")
        problems.push(`signature.inputs[${i}].nullable must be a boolean`);
    });
  }
  if (m.files === null || typeof m.files !== "object" || typeof m.files["model.onnx"]?.sha256 !== "string") {
    problems.push("files['model.onnx'].sha256 must hold the model's SHA-256");
  }
  if (typeof m.manifestSha256 !== "string") problems.push("manifestSha256 must be a string");
  if (problems.length > 0) {
    throw new KeelRuntimeError(
      "INVALID_PARAMETER_VALUE",
      `${source} is not a valid Keel model manifest:\n- ${problems.join("\n- ")}`,
      problems,
    );
  }
  return m as ModelManifest;
}
