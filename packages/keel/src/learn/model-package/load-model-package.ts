/**
 * Reads a model package back: verifies model.json's own hash and every file's hash, validates
 * model.json with Zod, and rebuilds the TypeScript pipeline through learn/core's fixed
 * deserialization registry. Nothing from the package is ever executed: it is data and an ONNX graph.
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { invalidParam, KeelError, notFound } from "../../errors.js";
import type { AnyEstimator } from "../core/estimator.js";
import { deserializeEstimator } from "../core/registry.js";
import type { SerializedEstimator } from "../core/value-codec.js";
import "./learners.js";
import { type ModelManifest, modelManifestSchema } from "./manifest-schema.js";
import { manifestDigest, sha256Hex } from "./package-hash.js";
import { MODEL_JSON, MODEL_ONNX } from "./save-model-package.js";

/** A loaded model package. */
export interface ModelPackage {
  /** Folder it was read from. */
  readonly dir: string;
  /** The validated manifest. */
  readonly manifest: ModelManifest;
  /** The rebuilt, fitted TypeScript pipeline. */
  readonly model: AnyEstimator;
  /** model.onnx bytes (hash-verified). */
  readonly onnx: Uint8Array;
}

async function readPackageFile(dir: string, name: string): Promise<Buffer> {
  try {
    return await readFile(join(dir, name));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") {
      throw notFound(
        `${join(dir, name)} does not exist: ${dir} is not a Keel model package (model.json + model.onnx)`,
      );
    }
    throw e;
  }
}

/** A hash mismatch: the package was modified or corrupted after it was written. */
function hashError(file: string, detail: string): KeelError {
  return new KeelError(
    "INVALID_STATE",
    `${file} failed its sha256 hash check (${detail}): the package was modified or corrupted after export; re-export the model`,
  );
}

/** Reads, verifies and rebuilds the package in `dir`. */
export async function loadModelPackage(dir: string): Promise<ModelPackage> {
  const root = resolve(dir);
  const jsonPath = join(root, MODEL_JSON);
  const text = (await readPackageFile(root, MODEL_JSON)).toString("utf8");
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw invalidParam(`${jsonPath} is not valid JSON: ${(e as Error).message}`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw invalidParam(`${jsonPath} must hold a JSON object`);
  const digest = manifestDigest(raw);
  if (digest !== raw.manifestSha256) {
    throw hashError(jsonPath, `content ${digest}, manifestSha256 ${String(raw.manifestSha256)}`);
  }
  const parsed = modelManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw invalidParam(`${jsonPath} is not a valid model manifest:\n- ${issues.join("\n- ")}`);
  }
  const manifest = parsed.data;
  const files = new Map<string, Buffer>();
  for (const [name, expected] of Object.entries(manifest.files)) {
    if (name.includes("/") || name.includes("\\") || name.startsWith(".")) {
      throw invalidParam(
        `${jsonPath} lists file '${name}': package files must be plain names inside the folder`,
      );
    }
    const bytes = await readPackageFile(root, name);
    const actual = sha256Hex(bytes);
    if (actual !== expected.sha256 || bytes.byteLength !== expected.size) {
      throw hashError(
        join(root, name),
        `sha256 ${actual}, ${bytes.byteLength} bytes; expected ${expected.sha256}, ${expected.size} bytes`,
      );
    }
    files.set(name, bytes);
  }
  const onnx = files.get(MODEL_ONNX);
  if (!onnx) throw invalidParam(`${jsonPath} does not list ${MODEL_ONNX} in files`);
  const model = deserializeEstimator(manifest.pipeline as unknown as SerializedEstimator);
  return { dir: root, manifest, model, onnx: new Uint8Array(onnx.buffer, onnx.byteOffset, onnx.byteLength) };
}
