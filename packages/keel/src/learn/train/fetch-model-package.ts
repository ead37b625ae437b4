/**
 * From a MODEL_REF (`models:/name/3`, `models:/name@alias`, `runs:/<id>/model`, a folder) to a
 * local folder holding the package: local and `file://` URIs are used in place; anything else
 * (`mlflow-artifacts:`, a remote store) is downloaded into a temp folder.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ResolvedModel, resolveModelRef } from "../../registry/model-ref.js";
import type { MetadataStore } from "../../store/metadata-store.js";
import { openRunArtifactStore } from "../../track/run-artifacts.js";

/** Where the store and the artifacts are. */
export interface ModelSource {
  /** Metadata store (registry and runs). */
  readonly store: MetadataStore;
  /** Tracking URI, needed to download `mlflow-artifacts:` URIs through a server. */
  readonly trackingUri: string;
}

/** A package available on local disk. */
export interface LocalPackage {
  /** Folder holding model.json and model.onnx. */
  readonly dir: string;
  /** What the reference resolved to (registry version, run). */
  readonly resolved: ResolvedModel;
  /** Deletes the temp copy, if one was made. */
  cleanup(): Promise<void>;
}

/** Resolves `ref` and makes its package available locally; call `cleanup()` when done. */
export async function fetchModelPackage(source: ModelSource, ref: string): Promise<LocalPackage> {
  const resolved = await resolveModelRef(source.store, ref);
  const uri = resolved.uri;
  if (uri.startsWith("file:")) return { dir: fileURLToPath(uri), resolved, cleanup: async () => {} };
  if (!/^[a-z][a-z0-9+.-]*:/i.test(uri) || /^[a-z]:[\\/]/i.test(uri)) {
    return { dir: uri, resolved, cleanup: async () => {} };
  }
  const tmp = await mkdtemp(join(tmpdir(), "keel-model-"));
  try {
    const artifacts = await openRunArtifactStore(uri, source.trackingUri, process.env.KEEL_TRACKING_TOKEN);
    await artifacts.download("", join(tmp, "model"));
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return {
    dir: join(tmp, "model"),
    resolved,
    cleanup: () => rm(tmp, { recursive: true, force: true }),
  };
}
