/**
 * model.json (format version 1), validated with Zod on write and on load. @keel/runtime reads the
 * same file with its own dependency-free checks; the fields it relies on (formatVersion, task,
 * signature, classLabels, files, manifestSha256) must not change meaning without a new version.
 */
import { z } from "zod";
import { signatureSchema } from "../onnx/signature.js";

/** Current model.json format version. */
export const MODEL_FORMAT_VERSION = 1;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "a lower-case hex SHA-256 (64 characters)");

const jsonValue: z.ZodType<unknown> = z.json();

/** model.json. */
export const modelManifestSchema = z.strictObject({
  formatVersion: z.literal(MODEL_FORMAT_VERSION),
  name: z.string().min(1),
  task: z.enum(["binary", "multiclass", "regression"]),
  signature: signatureSchema,
  /** Class labels in class-index order (classifiers). */
  classLabels: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** Target column name. */
  target: z.string().optional(),
  /** The pipeline as learn/core serializes it: `{ type, params, state }` (data only, never code). */
  pipeline: z.strictObject({ type: z.string().min(1), params: jsonValue, state: jsonValue }),
  /** Pipeline steps as `[name, type, params]` for display and search (params as getParams()). */
  steps: z.array(z.strictObject({ name: z.string(), type: z.string(), params: jsonValue })),
  /** The training data: a dataset reference (`name@3`, a path) and its content digest. */
  training: z.strictObject({ dataset: z.string(), digest: z.string() }).optional(),
  /** Evaluation metrics, e.g. `{ accuracy: 0.97 }`. */
  metrics: z.record(z.string(), z.number()),
  keelVersion: z.string(),
  createdAt: z.iso.datetime(),
  /** Digest of every other file of the package. */
  files: z.record(z.string(), z.strictObject({ sha256: sha256Hex, size: z.int().nonnegative() })),
  /** SHA-256 of the canonical JSON (sorted keys) of this object without this field. */
  manifestSha256: sha256Hex,
});

/** A parsed model.json. */
export type ModelManifest = z.infer<typeof modelManifestSchema>;
