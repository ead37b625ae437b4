/**
 * Writes a model package: a folder holding `model.onnx` (the whole pipeline as one ONNX graph)
 * and `model.json` (signature, classes, serialized pipeline, lineage, metrics, file hashes). The
 * folder appears atomically: files are written into a temp folder beside it, then renamed.
 */
import { randomUUID } from "node:crypto";
import { mkdir, open, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { alreadyExists, invalidParam } from "../../errors.js";
import { KEEL_VERSION } from "../../version.js";
import type { AnyEstimator } from "../core/estimator.js";
import type { Table } from "../core/table.js";
import { encodeValue, type Json } from "../core/value-codec.js";
import { exportOnnx, type OnnxInput, onnxInputsOf } from "../onnx/export-onnx.js";
import { MODEL_FORMAT_VERSION, type ModelManifest, modelManifestSchema } from "./manifest-schema.js";
import { manifestDigest, sha256Hex } from "./package-hash.js";

/** File names inside a package. */
export const MODEL_JSON = "model.json";
/** The ONNX graph file. */
export const MODEL_ONNX = "model.onnx";

/** Facts about the model that the pipeline itself does not hold. */
export interface ModelPackageMeta {
  /** Model name. */
  readonly name: string;
  /** The raw input columns (the training table, or its columns' names and kinds). */
  readonly inputs: Table | readonly OnnxInput[];
  /** Class labels in class-index order (classifiers); defaults to the pipeline's, else "0".."k-1". */
  readonly classLabels?: readonly (string | number | boolean)[];
  /** Target column name. */
  readonly target?: string;
  /** Training dataset reference and content digest. */
  readonly training?: { readonly dataset: string; readonly digest: string };
  /** Evaluation metrics. */
  readonly metrics?: Readonly<Record<string, number>>;
  /** Replace an existing package at `dir` (default: refuse). */
  readonly overwrite?: boolean;
}

/** Writes the package for fitted `model` into folder `dir`; returns the manifest written. */
export async function saveModelPackage(
  dir: string,
  model: AnyEstimator,
  meta: ModelPackageMeta,
): Promise<ModelManifest> {
  const target = resolve(dir);
  if (!meta.overwrite && (await exists(target))) {
    throw alreadyExists(`${target} already exists: choose another folder or pass overwrite: true`);
  }
  const inputs = Array.isArray(meta.inputs)
    ? (meta.inputs as readonly OnnxInput[])
    : onnxInputsOf(meta.inputs as Table);
  const exported = exportOnnx(model, { inputs, name: meta.name });
  if (exported.task === "transform") {
    throw invalidParam(
      `${model.typeName} has no classifier or regressor as its last step: only predictive pipelines can be packaged`,
    );
  }
  const body: Omit<ModelManifest, "manifestSha256"> = {
    formatVersion: MODEL_FORMAT_VERSION,
    name: meta.name,
    task: exported.task,
    signature: exported.signature,
    ...(exported.task === "regression"
      ? {}
      : { classLabels: classLabelsOf(model, meta, exported.signature) }),
    ...(meta.target !== undefined ? { target: meta.target } : {}),
    pipeline: model.serialize() as ModelManifest["pipeline"],
    steps: stepSummary(model),
    ...(meta.training ? { training: { ...meta.training } } : {}),
    metrics: { ...(meta.metrics ?? {}) },
    keelVersion: KEEL_VERSION,
    createdAt: new Date().toISOString(),
    files: { [MODEL_ONNX]: { sha256: sha256Hex(exported.bytes), size: exported.bytes.byteLength } },
  };
  const manifest = modelManifestSchema.parse({ ...body, manifestSha256: manifestDigest(body) });
  await writeFolderAtomically(target, {
    [MODEL_ONNX]: exported.bytes,
    [MODEL_JSON]: `${JSON.stringify(manifest, null, 2)}\n`,
  });
  return manifest;
}

function classLabelsOf(
  model: AnyEstimator,
  meta: ModelPackageMeta,
  signature: { outputs: readonly { name: string; shape: readonly number[] }[] },
): (string | number | boolean)[] {
  const k = signature.outputs.find((o) => o.name === "probabilities")?.shape[1] ?? 0;
  const fromModel = (model.fitted_ as { classes?: unknown } | undefined)?.classes;
  const labels =
    meta.classLabels ??
    (Array.isArray(fromModel) ? (fromModel as string[]) : Array.from({ length: k }, (_, i) => String(i)));
  if (labels.length !== k) {
    throw invalidParam(`classLabels has ${labels.length} labels but the model predicts ${k} classes`);
  }
  return [...labels];
}

/** `[{name, type, params}]` per pipeline step (a single estimator is one step). */
function stepSummary(model: AnyEstimator): ModelManifest["steps"] {
  const steps = (model.getParams() as { steps?: unknown }).steps;
  const pairs: [string, AnyEstimator][] =
    model.typeName === "Pipeline" && Array.isArray(steps)
      ? (steps as [string, AnyEstimator][])
      : [[model.typeName, model]];
  return pairs.map(([name, est]) => ({
    name,
    type: est.typeName,
    params: encodeValue(est.getParams(), `${name}.params`) as Json,
  }));
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes `files` into a fresh temp folder next to `target`, fsyncs them, then renames the folder
 * into place (moving any old package aside first and deleting it after), so readers never see a
 * half-written package.
 */
async function writeFolderAtomically(
  target: string,
  files: Readonly<Record<string, Uint8Array | string>>,
): Promise<void> {
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const tmp = join(parent, `.${basename(target)}.${randomUUID()}.tmp`);
  const old = join(parent, `.${basename(target)}.${randomUUID()}.old`);
  await mkdir(tmp);
  try {
    for (const [name, data] of Object.entries(files)) {
      const path = join(tmp, name);
      await writeFile(path, data, { flag: "wx" });
      const h = await open(path, "r+");
      try {
        await h.sync();
      } finally {
        await h.close();
      }
    }
    const hadOld = await exists(target);
    if (hadOld) await rename(target, old);
    await rename(tmp, target);
    if (hadOld) await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}
