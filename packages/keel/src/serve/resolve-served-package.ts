/**
 * From a MODEL_REF to a local package plus the name and version to serve it under: a folder is
 * used in place without opening any store; registry and run references go through the store.
 */

import { fetchModelPackage, type ModelSource } from "../learn/train/fetch-model-package.js";
import { parseModelRef } from "../registry/model-ref.js";

/** A package ready to serve. */
export interface ServedPackage {
  /** Local folder of the package. */
  readonly dir: string;
  /** Registered model name, when the reference went through the registry. */
  readonly name?: string | undefined;
  /** Registry version, when known. */
  readonly version?: string | undefined;
  /** Deletes a downloaded copy (call at shutdown). */
  cleanup(): Promise<void>;
}

/** True when `ref` needs the metadata store to resolve. */
export function needsStore(ref: string): boolean {
  return parseModelRef(ref).kind !== "path";
}

/** Resolves `ref`; `openSource` is called only for `models:/` and `runs:/` references. */
export async function resolveServedPackage(
  ref: string,
  openSource: () => Promise<ModelSource & { close(): Promise<void> }>,
): Promise<ServedPackage> {
  const parsed = parseModelRef(ref);
  if (parsed.kind === "path") return { dir: parsed.path, cleanup: async () => {} };
  const source = await openSource();
  try {
    const local = await fetchModelPackage(source, ref);
    const mv = local.resolved.modelVersion;
    return { dir: local.dir, name: mv?.name, version: mv?.version, cleanup: () => local.cleanup() };
  } finally {
    await source.close();
  }
}
