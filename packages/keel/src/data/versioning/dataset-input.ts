/**
 * Lineage: turning a dataset reference into the MLflow `Dataset` a run logs as an input, so
 * `run.logInput(await datasetInputFromRef(store, "weather@2"))` records which data made a run.
 */
import { lstat } from "node:fs/promises";
import { isMissing } from "../../artifacts/fs-errors.js";
import { notFound } from "../../errors.js";
import type { DatasetStore, DatasetVersion } from "../../store/dataset-store.js";
import type { Dataset } from "../../store/entities.js";
import { defaultName } from "./add-data.js";
import { scanPath } from "./content-scan.js";
import { parseDatasetRef, resolveVersion } from "./dataset-ref.js";
import { readPointer } from "./pointer-file.js";
import { StatCache } from "./stat-cache.js";
import { dataTarget, type Workspace, workspaceAt } from "./workspace.js";

/** `Dataset.sourceType` of Keel-versioned data. */
export const KEEL_SOURCE_TYPE = "keel";

/** `Dataset.source` of a stored version: `keel-dataset:NAME@N`. */
export function keelDatasetSource(name: string, version: number): string {
  return `keel-dataset:${name}@${version}`;
}

/** Options of {@link datasetInputFromRef}. */
export interface DatasetInputOptions {
  /** Workspace paths resolve in (default: the project around `cwd`). */
  workspace?: Workspace | undefined;
  /** Folder relative paths start from (default: the process's cwd). */
  cwd?: string | undefined;
}

/**
 * The `Dataset` for a reference:
 * - `NAME@N` / `NAME@latest`: the stored version (source `keel-dataset:NAME@N`);
 * - a tracked path (one with a `.keel` pointer): its pointer's version, with the path as source,
 *   provided the workspace still holds the recorded bytes;
 * - any other file or folder: hashed now, named after the file, without a version.
 *
 * @throws KeelError RESOURCE_DOES_NOT_EXIST for unknown versions and missing paths.
 * @example
 * await run.logInput(await datasetInputFromRef(store, "weather@2"), "train");
 */
export async function datasetInputFromRef(
  store: DatasetStore,
  ref: string,
  options: DatasetInputOptions = {},
): Promise<Dataset> {
  const parsed = parseDatasetRef(ref);
  if (parsed.kind === "version") {
    const v = await resolveVersion(store, parsed);
    return fromVersion(v, keelDatasetSource(v.name, v.version));
  }
  const ws = options.workspace ?? workspaceAt(options.cwd);
  const target = dataTarget(ws, parsed.path, options.cwd);
  const digest = await currentDigest(ws, target.abs, target.rel, parsed.path);
  const pointer = await readPointer(target.pointerAbs);
  if (pointer !== null && pointer.hash.value === digest) {
    return fromVersion(await store.getDatasetVersion(pointer.name, pointer.version), target.rel);
  }
  return {
    name: pointer?.name ?? defaultName(target.abs),
    digest,
    sourceType: KEEL_SOURCE_TYPE,
    source: target.rel,
  };
}

function fromVersion(v: DatasetVersion, source: string): Dataset {
  return {
    name: v.name,
    digest: v.digest,
    sourceType: KEEL_SOURCE_TYPE,
    source,
    schema: v.schema,
    profile: v.profile,
    version: v.version,
  };
}

/** The digest of a file or folder as it is now (through the stat cache). */
async function currentDigest(ws: Workspace, abs: string, rel: string, shown: string): Promise<string> {
  const st = await lstat(abs).catch((e: unknown) => {
    if (isMissing(e))
      throw notFound(`Dataset path '${shown}' does not exist; check the path or use NAME@VERSION.`);
    throw e;
  });
  const stat = StatCache.open(ws.statePath);
  try {
    return (await scanPath(abs, rel, st.isDirectory(), { stat })).digest;
  } finally {
    stat.close();
  }
}
