/**
 * ONNX exchange: `keel models export` copies a package (hash-verified) out of the registry, and
 * `keel models import` turns a foreign ONNX file (e.g. from skl2onnx) into a package — signature
 * read from the graph's inputs and outputs, model.json synthesized — and a new registry version.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import * as ort from "onnxruntime-node";
import type { ArtifactStore } from "../../artifacts/artifact-store.js";
import { alreadyExists, invalidParam } from "../../errors.js";
import { registerModel } from "../../registry/register-model.js";
import type { ModelVersion } from "../../store/entities.js";
import { KEEL_VERSION } from "../../version.js";
import {
  loadModelPackage,
  MODEL_FORMAT_VERSION,
  MODEL_JSON,
  MODEL_ONNX,
  type ModelManifest,
  manifestDigest,
  modelManifestSchema,
  sha256Hex,
} from "../model-package/index.js";
import { modelProtoType } from "../onnx/onnx-schema.js";
import type { SignatureInput, SignatureOutput } from "../onnx/signature.js";
import { fetchModelPackage, type ModelSource } from "./fetch-model-package.js";
import { ImportedOnnxModel } from "./imported-onnx-model.js";
import { TASKS, type Task } from "./task.js";

/** Result of {@link exportModel}. */
export interface ExportResult {
  /** Folder written. */
  readonly dir: string;
  /** Files copied (model.json first). */
  readonly files: string[];
  /** The package's manifest. */
  readonly manifest: ModelManifest;
}

/**
 * Copies the package behind `ref` into `outDir` (which must not exist or be empty), verifying
 * every hash before and after the copy.
 */
export async function exportModel(source: ModelSource, ref: string, outDir: string): Promise<ExportResult> {
  const dir = resolve(outDir);
  const existing = await readdir(dir).catch(() => null);
  if (existing !== null && existing.length > 0) {
    throw alreadyExists(`--out ${dir} is not empty: choose a new folder`);
  }
  const local = await fetchModelPackage(source, ref);
  try {
    const pkg = await loadModelPackage(local.dir);
    const files = [MODEL_JSON, ...Object.keys(pkg.manifest.files)];
    await mkdir(dir, { recursive: true });
    for (const name of files) await copyFile(join(local.dir, name), join(dir, name));
    await loadModelPackage(dir);
    return { dir, files, manifest: pkg.manifest };
  } finally {
    await local.cleanup();
  }
}

/** Options of {@link importOnnxModel}. */
export interface ImportOptions {
  /** Registered model name. */
  readonly name: string;
  /** Task; inferred from the outputs when omitted (probabilities → binary/multiclass, variable → regression). */
  readonly task?: string | undefined;
  /** Class labels in class-index order (default "0".."k-1"). */
  readonly classLabels?: readonly string[] | undefined;
  /** Target column name, recorded for `keel evaluate`. */
  readonly target?: string | undefined;
  /** Alias for the new version. */
  readonly alias?: string | undefined;
  /** Version description. */
  readonly description?: string | undefined;
}

/** Result of {@link importOnnxModel}. */
export interface ImportResult {
  /** The new registry version. */
  readonly version: ModelVersion;
  /** The synthesized model.json. */
  readonly manifest: ModelManifest;
}

// ONNX TensorProto.DataType codes → signature input types.
const NUMBER_TYPES = new Set([1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 16]);
const STRING_TYPE = 8;
const BOOL_TYPE = 9;

interface GraphValue {
  name: string;
  elemType: number;
  dims: (number | string)[];
}

/** Imports `onnxPath` as a new version of model `options.name`. */
export async function importOnnxModel(
  target: ModelSource & { readonly artifacts: ArtifactStore },
  onnxPath: string,
  options: ImportOptions,
): Promise<ImportResult> {
  const bytes = await readFile(onnxPath).catch((e: NodeJS.ErrnoException) => {
    throw invalidParam(`Cannot read ${onnxPath}: ${e.code === "ENOENT" ? "no such file" : e.message}`);
  });
  const graph = readGraph(bytes, onnxPath);
  await checkRunnable(bytes, onnxPath);
  const outputs = signatureOutputs(graph.outputs, onnxPath);
  const task = taskOf(outputs, options.task);
  const k = outputs.find((o) => o.name === "probabilities")?.shape[1] ?? 0;
  const labels = options.classLabels ?? Array.from({ length: k }, (_, i) => String(i));
  if (task !== "regression" && labels.length !== k) {
    throw invalidParam(`--labels has ${labels.length} labels but the graph predicts ${k} classes`);
  }
  const model = new ImportedOnnxModel({ source: basename(onnxPath), producer: graph.producer });
  const body: Omit<ModelManifest, "manifestSha256"> = {
    formatVersion: MODEL_FORMAT_VERSION,
    name: options.name,
    task,
    signature: { inputs: graph.inputs.map((v) => signatureInput(v, onnxPath)), outputs },
    ...(task === "regression" ? {} : { classLabels: [...labels] }),
    ...(options.target !== undefined ? { target: options.target } : {}),
    pipeline: model.serialize() as ModelManifest["pipeline"],
    steps: [{ name: "onnx", type: ImportedOnnxModel.typeName, params: { ...model.getParams() } }],
    metrics: {},
    keelVersion: KEEL_VERSION,
    createdAt: new Date().toISOString(),
    files: { [MODEL_ONNX]: { sha256: sha256Hex(bytes), size: bytes.byteLength } },
  };
  const manifest = modelManifestSchema.parse({ ...body, manifestSha256: manifestDigest(body) });
  const tmp = await mkdtemp(join(tmpdir(), "keel-import-"));
  try {
    const dir = join(tmp, "model");
    await mkdir(dir);
    await writeFile(join(dir, MODEL_ONNX), bytes);
    await writeFile(join(dir, MODEL_JSON), `${JSON.stringify(manifest, null, 2)}\n`);
    await loadModelPackage(dir); // the package we register must load like any other
    const version = await registerModel(target.store, target.artifacts, {
      name: options.name,
      from: dir,
      alias: options.alias,
      description:
        options.description ??
        `Imported from ${basename(onnxPath)}${graph.producer ? ` (${graph.producer})` : ""}`,
    });
    return { version, manifest };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Graph inputs (minus initializers, which old exporters also list as inputs), outputs and producer. */
function readGraph(
  bytes: Uint8Array,
  file: string,
): { inputs: GraphValue[]; outputs: GraphValue[]; producer: string } {
  let decoded: Record<string, unknown>;
  try {
    const type = modelProtoType();
    decoded = type.toObject(type.decode(bytes), { longs: Number, defaults: true }) as Record<string, unknown>;
  } catch (e) {
    throw invalidParam(`${file} is not an ONNX model: ${(e as Error).message}`);
  }
  const graph = decoded.graph as
    | { input?: unknown[]; output?: unknown[]; initializer?: { name: string }[] }
    | undefined;
  if (!graph?.input?.length || !graph.output?.length) {
    throw invalidParam(`${file} is not an ONNX model with a graph, inputs and outputs`);
  }
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
  const value = (v: unknown): GraphValue => {
    const info = v as {
      name: string;
      type?: {
        tensor_type?: { elem_type?: number; shape?: { dim?: { dim_value?: number; dim_param?: string }[] } };
      };
    };
    const tensor = info.type?.tensor_type;
    return {
      name: info.name,
      elemType: tensor?.elem_type ?? 0,
      dims: (tensor?.shape?.dim ?? []).map((d) => (d.dim_param ? d.dim_param : Number(d.dim_value ?? 0))),
    };
  };
  const producer = [decoded.producer_name, decoded.producer_version].filter(Boolean).join(" ");
  return {
    inputs: graph.input.map(value).filter((v) => !initializers.has(v.name)),
    outputs: graph.output.map(value),
    producer,
  };
}

/** ONNX Runtime must be able to load the graph (operators, opsets), or the version is useless. */
async function checkRunnable(bytes: Uint8Array, file: string): Promise<void> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes);
  } catch (e) {
    throw invalidParam(`ONNX Runtime cannot load ${file}: ${(e as Error).message}`);
  }
  await session.release();
}

function signatureInput(v: GraphValue, file: string): SignatureInput {
  const columns = v.dims.length === 2 ? v.dims[1] : v.dims.length === 1 ? 1 : undefined;
  if (columns !== 1) {
    throw invalidParam(
      `${file} input '${v.name}' has shape [${v.dims.join(", ")}]: Keel packages take one input per column, shaped [N, 1]; re-export with one input per feature (skl2onnx: initial_types=[(name, FloatTensorType([None, 1])) for each column])`,
    );
  }
  if (v.elemType === STRING_TYPE) return { name: v.name, type: "string", nullable: false };
  if (v.elemType === BOOL_TYPE) return { name: v.name, type: "boolean", nullable: false };
  if (NUMBER_TYPES.has(v.elemType)) return { name: v.name, type: "number", nullable: false };
  throw invalidParam(`${file} input '${v.name}' has ONNX element type ${v.elemType}, which Keel cannot feed`);
}

function signatureOutputs(outputs: GraphValue[], file: string): SignatureOutput[] {
  const byName = new Map(outputs.map((o) => [o.name, o]));
  const label = byName.get("label");
  const proba = byName.get("probabilities");
  const variable = byName.get("variable");
  if (label && proba) {
    const k = proba.dims[1];
    if (typeof k !== "number" || k < 2) {
      throw invalidParam(
        `${file} output 'probabilities' must have a fixed class count: shape [N, k], got [${proba.dims.join(", ")}]`,
      );
    }
    return [
      { name: "label", type: "int64", shape: [-1] },
      { name: "probabilities", type: "float", shape: [-1, k] },
    ];
  }
  if (variable) return [{ name: "variable", type: "float", shape: [-1, 1] }];
  throw invalidParam(
    `${file} has outputs ${outputs.map((o) => `'${o.name}'`).join(", ")}; Keel needs 'label' (int64) + 'probabilities' (float [N, k], no ZipMap) for a classifier, or 'variable' (float [N, 1]) for a regressor (skl2onnx: options={'zipmap': False} and final_types naming them)`,
  );
}

function taskOf(outputs: SignatureOutput[], override: string | undefined): Task {
  const k = outputs.find((o) => o.name === "probabilities")?.shape[1];
  const inferred: Task = k === undefined ? "regression" : k === 2 ? "binary" : "multiclass";
  if (override === undefined) return inferred;
  if (!(TASKS as readonly string[]).includes(override)) {
    throw invalidParam(`--task '${override}' is not a task; use one of ${TASKS.join(", ")}`);
  }
  if (override !== inferred) {
    throw invalidParam(
      `--task ${override} does not match the graph's outputs, which make it a ${inferred} model`,
    );
  }
  return override as Task;
}
