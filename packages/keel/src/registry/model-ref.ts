import { invalidParam } from "../errors.js";
import type { ModelVersion } from "../store/entities.js";
import type { MetadataStore } from "../store/metadata-store.js";

/** A parsed model reference, as accepted everywhere a MODEL_REF is. */
export type ModelRef =
  | { kind: "version"; name: string; version: string }
  | { kind: "alias"; name: string; alias: string }
  | { kind: "latest"; name: string }
  | { kind: "run"; runId: string; path: string }
  | { kind: "path"; path: string };

const NAME = "[^/@]+";
const VERSION_RE = new RegExp(`^models:/(${NAME})/(\\d+)$`);
const LATEST_RE = new RegExp(`^models:/(${NAME})/latest$`);
const ALIAS_RE = new RegExp(`^models:/(${NAME})@([A-Za-z0-9_-]+)$`);
const RUN_RE = /^runs:\/([0-9a-f]{32})(?:\/(.*))?$/;

/**
 * Parse `models:/name/3`, `models:/name@champion`, `models:/name/latest`, `runs:/<id>/path`,
 * or a folder path. Malformed `models:`/`runs:` references get an error showing the accepted forms.
 */
export function parseModelRef(ref: string): ModelRef {
  if (ref.startsWith("models:")) {
    const v = VERSION_RE.exec(ref);
    if (v) return { kind: "version", name: decodeURIComponent(v[1]!), version: v[2]! };
    const l = LATEST_RE.exec(ref);
    if (l) return { kind: "latest", name: decodeURIComponent(l[1]!) };
    const a = ALIAS_RE.exec(ref);
    if (a) return { kind: "alias", name: decodeURIComponent(a[1]!), alias: a[2]! };
    throw invalidParam(
      `Invalid model reference '${ref}': use models:/NAME/VERSION, models:/NAME@ALIAS or models:/NAME/latest`,
    );
  }
  if (ref.startsWith("runs:")) {
    const r = RUN_RE.exec(ref);
    if (!r) throw invalidParam(`Invalid run reference '${ref}': use runs:/<32-hex run id>/<artifact path>`);
    return { kind: "run", runId: r[1]!, path: (r[2] ?? "").replace(/\/+$/, "") };
  }
  if (ref.trim() === "")
    throw invalidParam("Model reference is empty: give a folder, models:/... or runs:/...");
  return { kind: "path", path: ref };
}

/** What a model reference points at. */
export interface ResolvedModel {
  /** Artifact URI (or local folder path, for `kind: "path"`) of the model package. */
  uri: string;
  /** The registry version, when the reference went through the registry. */
  modelVersion?: ModelVersion | undefined;
  /** The run that produced the model, when known. */
  runId?: string | undefined;
}

/** Join an artifact URI and a relative path. */
export function joinArtifactUri(base: string, path: string): string {
  if (path === "") return base;
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/** Resolve a reference to the model package's location through the registry or the run. */
export async function resolveModelRef(store: MetadataStore, ref: string | ModelRef): Promise<ResolvedModel> {
  const parsed = typeof ref === "string" ? parseModelRef(ref) : ref;
  switch (parsed.kind) {
    case "path":
      return { uri: parsed.path };
    case "run": {
      const run = await store.getRun(parsed.runId);
      return { uri: joinArtifactUri(run.info.artifactUri, parsed.path), runId: parsed.runId };
    }
    case "version":
    case "alias":
    case "latest": {
      const mv = await modelVersionOf(store, parsed);
      return { uri: mv.source, modelVersion: mv, runId: mv.runId || undefined };
    }
  }
}

async function modelVersionOf(
  store: MetadataStore,
  ref: Extract<ModelRef, { kind: "version" | "alias" | "latest" }>,
): Promise<ModelVersion> {
  if (ref.kind === "version") return store.getModelVersion(ref.name, ref.version);
  if (ref.kind === "alias") return store.getModelVersionByAlias(ref.name, ref.alias);
  const model = await store.getRegisteredModel(ref.name);
  const newest = [...model.latestVersions].sort((a, b) => Number(b.version) - Number(a.version))[0];
  if (newest === undefined) throw invalidParam(`Registered model '${ref.name}' has no versions yet`);
  return newest;
}
