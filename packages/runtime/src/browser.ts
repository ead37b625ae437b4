/**
 * @keel/runtime for browsers (`@keel/runtime/browser`): the same API as the Node entry over
 * onnxruntime-web (WebAssembly). A package is fetched from a base URL, or passed as bytes.
 *
 * @example
 * const model = await loadModel("https://example.org/models/penguins/");
 * const { labels } = await model.predict({ bill_length_mm: [39.1], island: ["Biscoe"] });
 */
import * as ort from "onnxruntime-web";
import { KeelModel, type PackageBytes } from "./keel-model.js";
import { KeelRuntimeError } from "./runtime-error.js";

export type { EncodedColumn, EncodedInput, PredictInput } from "./input-encoder.js";
export { encodeInput } from "./input-encoder.js";
export type {
  ClassificationPrediction,
  ClassLabel,
  PackageBytes,
  Prediction,
  RegressionPrediction,
} from "./keel-model.js";
export { KeelModel } from "./keel-model.js";
export type { InputType, ModelManifest, Signature, SignatureInput, SignatureOutput } from "./manifest.js";
export { KeelRuntimeError } from "./runtime-error.js";

/** The onnxruntime-web module in use, e.g. to set `ort.env.wasm.wasmPaths` before loading. */
export { ort };

async function fetchBytes(url: URL): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new KeelRuntimeError(
      "RESOURCE_DOES_NOT_EXIST",
      `cannot fetch ${url.href}: ${(e as Error).message}`,
    );
  }
  if (!res.ok) {
    throw new KeelRuntimeError("RESOURCE_DOES_NOT_EXIST", `fetching ${url.href} returned HTTP ${res.status}`);
  }
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * Loads a package from a base URL (the folder holding model.json and model.onnx) or from bytes
 * already in memory; verifies both hashes and opens an onnxruntime-web session.
 */
export async function loadModel(source: string | URL | PackageBytes): Promise<KeelModel> {
  if (typeof source === "object" && !(source instanceof URL)) return KeelModel.open(source, ort);
  const base = new URL(String(source).endsWith("/") ? String(source) : `${String(source)}/`);
  const [manifest, onnx] = await Promise.all([
    fetchBytes(new URL("model.json", base)),
    fetchBytes(new URL("model.onnx", base)),
  ]);
  return KeelModel.open({ manifest, onnx, source: base.href }, ort);
}
