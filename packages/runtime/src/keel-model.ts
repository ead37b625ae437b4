/**
 * A loaded model package: verified manifest + ONNX Runtime session. Shared by the Node entry
 * (onnxruntime-node) and the browser entry (onnxruntime-web); both pass their ORT module in, and
 * both expose the same `predict`.
 */
import type * as Ort from "onnxruntime-node";
import { type EncodedColumn, encodeInput, type PredictInput } from "./input-encoder.js";
import { type ModelManifest, parseManifest, type Signature } from "./manifest.js";
import { KeelRuntimeError } from "./runtime-error.js";
import { canonicalJson, sha256Hex } from "./sha256.js";

/** The ORT surface the runtime uses (identical in onnxruntime-node and onnxruntime-web). */
export type OrtModule = Pick<typeof Ort, "InferenceSession" | "Tensor">;

/** A class label as stored in model.json. */
export type ClassLabel = string | number | boolean;

/** Predictions of a classifier. */
export interface ClassificationPrediction {
  /** "binary" or "multiclass". */
  readonly task: "binary" | "multiclass";
  /** Number of rows predicted. */
  readonly nRows: number;
  /** Predicted label per row. */
  readonly labels: ClassLabel[];
  /** Predicted class index per row (position in `classes`). */
  readonly classIndex: Int32Array;
  /** Class probabilities, row-major: `probabilities[i * classes.length + k]`. */
  readonly probabilities: Float32Array;
  /** Class labels in index order. */
  readonly classes: readonly ClassLabel[];
}

/** Predictions of a regressor. */
export interface RegressionPrediction {
  /** "regression". */
  readonly task: "regression";
  /** Number of rows predicted. */
  readonly nRows: number;
  /** Predicted value per row. */
  readonly values: Float32Array;
}

/** What `predict` returns. */
export type Prediction = ClassificationPrediction | RegressionPrediction;

/** The files of a package as bytes, however they were fetched. */
export interface PackageBytes {
  /** model.json contents. */
  readonly manifest: Uint8Array;
  /** model.onnx contents. */
  readonly onnx: Uint8Array;
  /** Where they came from, for messages. */
  readonly source: string;
}

/** How the ONNX Runtime session of a loaded model runs. */
export interface LoadOptions {
  /**
   * Threads ONNX Runtime may use inside one run (default: ONNX Runtime's, one per core). A server
   * answering many small requests at once wants 1: its concurrency already uses the cores, and
   * more threads per run only contend with it. Big batch scoring wants the default.
   */
  readonly intraOpThreads?: number;
}

function sessionOptions(options: LoadOptions): Ort.InferenceSession.SessionOptions {
  const n = options.intraOpThreads;
  if (n === undefined) return {};
  if (!Number.isInteger(n) || n < 1) {
    throw new KeelRuntimeError("INVALID_PARAMETER_VALUE", `intraOpThreads must be an integer >= 1, got ${n}`);
  }
  return { intraOpNumThreads: n, interOpNumThreads: 1 };
}

/** A model loaded from a Keel model package. */
export class KeelModel {
  /** The verified manifest. */
  readonly manifest: ModelManifest;
  readonly #session: Ort.InferenceSession;
  readonly #ort: OrtModule;

  private constructor(manifest: ModelManifest, session: Ort.InferenceSession, ort: OrtModule) {
    this.manifest = manifest;
    this.#session = session;
    this.#ort = ort;
  }

  /**
   * Verifies the package (model.json's own hash, then model.onnx's) and creates a session. Never
   * evaluates code from the package: model.json is data and model.onnx is an ONNX graph.
   */
  static async open(files: PackageBytes, ort: OrtModule, options: LoadOptions = {}): Promise<KeelModel> {
    const manifest = await verifyPackage(files);
    const sessionOpts = sessionOptions(options);
    let session: Ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(files.onnx, sessionOpts);
    } catch (e) {
      throw new KeelRuntimeError(
        "INVALID_STATE",
        `${files.source}: ONNX Runtime rejected model.onnx: ${(e as Error).message}`,
      );
    }
    const missing = manifest.signature.inputs
      .filter((i) => !session.inputNames.includes(i.name))
      .map((i) => i.name);
    if (missing.length > 0) {
      await session.release();
      throw new KeelRuntimeError(
        "INVALID_STATE",
        `${files.source}: model.onnx has no input for signature column(s) ${missing.join(", ")}`,
      );
    }
    return new KeelModel(manifest, session, ort);
  }

  /** The input/output signature. */
  get signature(): Signature {
    return this.manifest.signature;
  }

  /**
   * Predicts for rows (`[{col: value}]`) or columns (`{col: values}`). Input is checked against
   * the signature first; one error lists every problem.
   */
  async predict(input: PredictInput): Promise<Prediction> {
    const encoded = encodeInput(this.manifest.signature, input);
    const n = encoded.nRows;
    const feeds: Record<string, Ort.Tensor> = {};
    for (const spec of this.manifest.signature.inputs) {
      feeds[spec.name] = this.#tensor(encoded.columns.get(spec.name)!, n);
    }
    const out = await this.#session.run(feeds);
    const m = this.manifest;
    if (m.task === "regression") {
      return { task: "regression", nRows: n, values: toFloat32(out.variable!.data) };
    }
    const classes = m.classLabels ?? [];
    const raw = out.label!.data as ArrayLike<bigint | number>;
    const classIndex = new Int32Array(n);
    for (let i = 0; i < n; i++) classIndex[i] = Number(raw[i]);
    const labels = Array.from(classIndex, (k) => classes[k]!);
    return {
      task: m.task,
      nRows: n,
      labels,
      classIndex,
      probabilities: toFloat32(out.probabilities!.data),
      classes,
    };
  }

  /** Frees the ONNX Runtime session. */
  async release(): Promise<void> {
    await this.#session.release();
  }

  #tensor(col: EncodedColumn, n: number): Ort.Tensor {
    const T = this.#ort.Tensor;
    switch (col.type) {
      case "float32":
        return new T("float32", col.data, [n, 1]);
      case "float64":
        return new T("float64", col.data, [n, 1]);
      case "string":
        return new T("string", col.data, [n, 1]);
    }
  }
}

function toFloat32(data: unknown): Float32Array {
  return data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
}

/** Checks model.json's self-hash and model.onnx's hash and size; returns the parsed manifest. */
export async function verifyPackage(files: PackageBytes): Promise<ModelManifest> {
  const text = new TextDecoder().decode(files.manifest);
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new KeelRuntimeError(
      "INVALID_PARAMETER_VALUE",
      `${files.source}/model.json is not valid JSON: ${(e as Error).message}`,
    );
  }
  const { manifestSha256, ...rest } = raw ?? {};
  const actual = await sha256Hex(new TextEncoder().encode(canonicalJson(rest)));
  if (actual !== manifestSha256) {
    throw new KeelRuntimeError(
      "INVALID_STATE",
      `${files.source}/model.json failed its hash check (content sha256 ${actual}, manifestSha256 ${String(manifestSha256)}): the file was modified after export; re-export the model`,
    );
  }
  const manifest = parseManifest(text, `${files.source}/model.json`);
  const expected = manifest.files["model.onnx"]!;
  const onnxHash = await sha256Hex(files.onnx);
  if (onnxHash !== expected.sha256 || files.onnx.byteLength !== expected.size) {
    throw new KeelRuntimeError(
      "INVALID_STATE",
      `${files.source}/model.onnx failed its hash check (sha256 ${onnxHash}, ${files.onnx.byteLength} bytes; model.json expects ${expected.sha256}, ${expected.size} bytes): the file is corrupt or was replaced; re-export the model`,
    );
  }
  return manifest;
}
