/**
 * From a MODEL_REF to the concrete version an endpoint records (aliases and `latest` resolved at
 * deploy time, so a later alias move never changes what an endpoint serves), and from a recorded
 * version to a loaded, warmed {@link ServedModel}.
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseManifest } from "@keel/runtime";
import { fetchModelPackage, type ModelSource } from "../../learn/train/fetch-model-package.js";
import { parseModelRef, resolveModelRef } from "../../registry/model-ref.js";
import type { EndpointVersion } from "../../store/endpoint-store.js";
import { type LoadServedModelOptions, ServedModel } from "../served-model.js";
import { warmupInput } from "./warmup-input.js";

async function manifestName(dir: string): Promise<string> {
  const file = join(dir, "model.json");
  return parseManifest(await readFile(file, "utf8"), file).name;
}

/**
 * The version `ref` names: `models:/NAME/VERSION` for registry references (alias resolved),
 * `runs:/ID/PATH` labelled `run-<id prefix>`, an absolute folder labelled `1`.
 */
export async function resolveEndpointVersion(source: ModelSource, ref: string): Promise<EndpointVersion> {
  const parsed = parseModelRef(ref);
  if (parsed.kind === "path") {
    const dir = resolve(parsed.path);
    return { ref: dir, model: await manifestName(dir), version: "1" };
  }
  if (parsed.kind === "run") {
    const pkg = await fetchModelPackage(source, ref);
    try {
      return { ref, model: await manifestName(pkg.dir), version: `run-${parsed.runId.slice(0, 8)}` };
    } finally {
      await pkg.cleanup();
    }
  }
  const mv = (await resolveModelRef(source.store, parsed)).modelVersion!;
  return { ref: `models:/${mv.name}/${mv.version}`, model: mv.name, version: mv.version };
}

/** A loaded version and how to free it. */
export interface LoadedVersion {
  /** The hosted version. */
  readonly model: ServedModel;
  /** Drains and frees the session, then deletes a downloaded package copy. */
  close(): Promise<void>;
}

/**
 * Fetches and loads `v`, then warms it with one real inference on a row built from its
 * signature, so its first client request does not pay ONNX Runtime's first-run cost.
 */
export async function loadEndpointVersion(
  source: ModelSource,
  v: EndpointVersion,
  options: Omit<LoadServedModelOptions, "name" | "version">,
): Promise<LoadedVersion> {
  const pkg = await fetchModelPackage(source, v.ref);
  let model: ServedModel | undefined;
  try {
    model = await ServedModel.load(pkg.dir, { ...options, name: v.model, version: v.version });
    await model.predict(warmupInput(model.signature));
  } catch (e) {
    await model?.close().catch(() => {});
    await pkg.cleanup();
    throw e;
  }
  const loaded = model;
  return {
    model: loaded,
    async close() {
      await loaded.close();
      await pkg.cleanup();
    },
  };
}
