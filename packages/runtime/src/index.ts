/**
 * @keel/runtime for Node: load a Keel model package from a folder (or `file://` URI), validate
 * input against its signature, and predict with onnxruntime-node. Imports nothing from Keel.
 *
 * @example
 * const model = await loadModel("./model");
 * const { labels, probabilities } = await model.predict([{ bill_length_mm: 39.1, island: "Biscoe" }]);
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import { KeelModel, type LoadOptions } from "./keel-model.js";
import { KeelRuntimeError } from "./runtime-error.js";

export type { EncodedColumn, EncodedInput, PredictInput } from "./input-encoder.js";
export { encodeInput } from "./input-encoder.js";
export type {
  ClassificationPrediction,
  ClassLabel,
  LoadOptions,
  PackageBytes,
  Prediction,
  RegressionPrediction,
} from "./keel-model.js";
export { KeelModel, verifyPackage } from "./keel-model.js";
export type {
  FileDigest,
  InputType,
  ModelManifest,
  Signature,
  SignatureInput,
  SignatureOutput,
} from "./manifest.js";
export { MANIFEST_FORMAT_VERSION, parseManifest } from "./manifest.js";
export { KeelRuntimeError, type RuntimeErrorCode } from "./runtime-error.js";
export { canonicalJson, sha256Hex } from "./sha256.js";

/** Folder path of a package given as a path or a `file://` URI. */
function packageDir(pathOrUri: string): string {
  if (pathOrUri.startsWith("file:")) return fileURLToPath(pathOrUri);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(pathOrUri)) {
    throw new KeelRuntimeError(
      "INVALID_PARAMETER_VALUE",
      `loadModel takes a folder path or a file:// URI, not ${pathOrUri}; download the package first (Keel resolves models:/ and runs:/ references)`,
    );
  }
  return pathOrUri;
}

async function readPackageFile(dir: string, name: string): Promise<Uint8Array> {
  try {
    return await readFile(join(dir, name));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new KeelRuntimeError(
      "RESOURCE_DOES_NOT_EXIST",
      code === "ENOENT"
        ? `${join(dir, name)} does not exist: pass the folder of a Keel model package (model.json + model.onnx)`
        : `cannot read ${join(dir, name)}: ${(e as Error).message}`,
    );
  }
}

/**
 * Loads and verifies the model package in folder `pathOrUri` and opens an ONNX Runtime session
 * (`options.intraOpThreads`: see {@link LoadOptions}).
 */
export async function loadModel(pathOrUri: string, options: LoadOptions = {}): Promise<KeelModel> {
  const dir = packageDir(pathOrUri);
  const [manifest, onnx] = await Promise.all([
    readPackageFile(dir, "model.json"),
    readPackageFile(dir, "model.onnx"),
  ]);
  return KeelModel.open({ manifest, onnx, source: dir }, ort, options);
}
