import { randomUUID } from "node:crypto";
import { stat } from "node:fs/promises";
import type { ArtifactStore } from "../artifacts/artifact-store.js";
import { invalidParam, isKeelError } from "../errors.js";
import type { ModelVersion, Tag } from "../store/entities.js";
import type { MetadataStore } from "../store/metadata-store.js";
import { currentUser } from "../track/system-tags.js";
import { joinArtifactUri, parseModelRef, resolveModelRef } from "./model-ref.js";

/** Options for {@link registerModel}. */
export interface RegisterModelOptions {
  /** Registered model name (created when new). */
  name: string;
  /** `runs:/<id>/path`, `models:/...` (copy a version) or a local folder/file to upload. */
  from: string;
  description?: string | undefined;
  tags?: Tag[] | undefined;
  /** Alias to point at the new version (e.g. `challenger`). */
  alias?: string | undefined;
  /** Who registers (default: the current OS user, as MLflow records it). */
  userId?: string | undefined;
}

/** Names MLflow accepts for registered models: no slashes, colons or at-signs that would break refs. */
const MODEL_NAME_RE = /^[^/:@\s][^/:@]{0,255}$/;

/**
 * Create a new version of a registered model from a run artifact, another version, or a local
 * folder (copied into the artifact store under `registry/<name>/<uuid>` so the registry never
 * depends on the user's working copy).
 */
export async function registerModel(
  store: MetadataStore,
  artifacts: ArtifactStore,
  options: RegisterModelOptions,
): Promise<ModelVersion> {
  if (!MODEL_NAME_RE.test(options.name)) {
    throw invalidParam(
      `Invalid model name '${options.name}': 1-256 characters, no '/', ':' or '@', not starting with a space`,
    );
  }
  const ref = parseModelRef(options.from);
  let source: string;
  let runId: string | undefined;
  if (ref.kind === "path") {
    const info = await stat(ref.path).catch(() => null);
    if (info === null) throw invalidParam(`Model path '${ref.path}' does not exist`);
    const dest = `registry/${options.name}/${randomUUID()}`;
    await artifacts.putLocal(ref.path, dest);
    source = joinArtifactUri(artifacts.rootUri, dest);
  } else {
    const resolved = await resolveModelRef(store, ref);
    source = resolved.uri;
    runId = resolved.runId;
  }
  const userId = options.userId ?? currentUser();
  await ensureRegisteredModel(store, options.name);
  const version = await store.createModelVersion({
    name: options.name,
    source,
    runId,
    description: options.description,
    tags: options.tags,
    userId,
  });
  if (options.alias !== undefined) {
    await store.setRegisteredModelAlias(options.name, options.alias, version.version, userId);
    return store.getModelVersion(options.name, version.version);
  }
  return version;
}

/** Create the registered model unless it exists (tolerating a concurrent creator). */
export async function ensureRegisteredModel(store: MetadataStore, name: string): Promise<void> {
  try {
    await store.getRegisteredModel(name);
    return;
  } catch (e) {
    if (!isKeelError(e) || e.code !== "RESOURCE_DOES_NOT_EXIST") throw e;
  }
  try {
    await store.createRegisteredModel(name);
  } catch (e) {
    if (!isKeelError(e) || e.code !== "RESOURCE_ALREADY_EXISTS") throw e;
  }
}
