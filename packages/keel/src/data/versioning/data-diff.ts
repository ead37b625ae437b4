/**
 * `keel data diff NAME@1 NAME@2`: what changed between two recorded versions. Folders are
 * compared file by file from their manifests; tables (by the recorded path's extension) through
 * DuckDB over the two cache objects, which are verified first.
 */
import { invalidParam } from "../../errors.js";
import type { DatasetStore, DatasetVersion } from "../../store/dataset-store.js";
import { notInCache } from "./content-objects.js";
import { parseVersionRef, resolveVersion } from "./dataset-ref.js";
import type { ManifestEntry } from "./dir-manifest.js";
import { objectKey } from "./object-key.js";
import type { TableDiff } from "./table-diff.js";
import { tableFormatOf } from "./tabular-summary.js";
import type { Workspace } from "./workspace.js";

/** One side of a diff. */
export interface DiffSide {
  name: string;
  version: number;
  digest: string;
  path: string;
  size: number;
  fileCount: number;
}

/** File-level changes between two folder versions. */
export interface FolderChanges {
  added: string[];
  removed: string[];
  changed: string[];
  unchanged: number;
}

/** Result of {@link diffVersions}. */
export interface DataDiff {
  a: DiffSide;
  b: DiffSide;
  /** Same content. */
  identical: boolean;
  /** How the two were compared. */
  kind: "folder" | "table" | "file";
  /** Folders: per-file changes. */
  files?: FolderChanges;
  /** Tables: schema, rows and statistics. */
  table?: TableDiff;
}

/** Options of {@link diffVersions}. */
export interface DiffOptions {
  /** Key column for row matching (tables); without it whole rows are compared. */
  key?: string | undefined;
}

/**
 * Compare two versions (`NAME@N`, `NAME@latest`).
 * @throws KeelError INVALID_PARAMETER_VALUE for malformed references, unknown key columns and
 *   mixed kinds; RESOURCE_DOES_NOT_EXIST for unknown versions or content not in the cache;
 *   CorruptedObjectError when a table's object is damaged.
 */
export async function diffVersions(
  ws: Workspace,
  store: DatasetStore,
  refA: string,
  refB: string,
  options: DiffOptions = {},
): Promise<DataDiff> {
  const va = await resolveVersion(store, parseVersionRef(refA));
  const vb = await resolveVersion(store, parseVersionRef(refB));
  const a = side(va);
  const b = side(vb);
  const dirA = await ws.cache.readManifest(va.digest);
  const dirB = await ws.cache.readManifest(vb.digest);
  if (dirA !== null || dirB !== null) {
    if (dirA === null || dirB === null) {
      const [missing, v] = dirA === null ? [a, va] : [b, vb];
      if (!(await ws.cache.has(objectKey(v.digest))))
        throw notInCache(label(missing), objectKey(v.digest, true), `${v.name}@${v.version}`);
      throw invalidParam(
        `${label(a)} and ${label(b)} are not both folders; only their digests can be compared.`,
      );
    }
    return { a, b, identical: va.digest === vb.digest, kind: "folder", files: folderChanges(dirA, dirB) };
  }
  for (const [s, v] of [
    [a, va],
    [b, vb],
  ] as const) {
    if (!(await ws.cache.has(objectKey(v.digest)))) {
      // A folder whose manifest is missing looks the same as a file that is missing.
      throw notInCache(label(s), objectKey(v.digest, v.fileCount !== 1), `${v.name}@${v.version}`);
    }
  }
  const formatA = tableFormatOf(va.path);
  const formatB = tableFormatOf(vb.path);
  if (formatA === null || formatB === null) {
    if (options.key !== undefined)
      throw invalidParam(`--key needs tables; ${label(formatA === null ? a : b)} is not one.`);
    return { a, b, identical: va.digest === vb.digest, kind: "file" };
  }
  await ws.cache.verifyFileObject(va.digest);
  await ws.cache.verifyFileObject(vb.digest);
  const [{ DataSession }, { diffTables }] = await Promise.all([
    import("../engine/duckdb-session.js"),
    import("./table-diff.js"),
  ]);
  const session = await DataSession.open();
  try {
    const table = await diffTables(
      session,
      { label: label(a), path: ws.cache.pathOf(objectKey(va.digest)), format: formatA },
      { label: label(b), path: ws.cache.pathOf(objectKey(vb.digest)), format: formatB },
      options.key,
    );
    return { a, b, identical: va.digest === vb.digest, kind: "table", table };
  } finally {
    session.close();
  }
}

function side(v: DatasetVersion): DiffSide {
  return {
    name: v.name,
    version: v.version,
    digest: v.digest,
    path: v.path,
    size: v.size,
    fileCount: v.fileCount,
  };
}

function label(s: DiffSide): string {
  return `${s.name}@${s.version}`;
}

/** Files added, removed and changed from manifest `a` to manifest `b`. */
export function folderChanges(a: readonly ManifestEntry[], b: readonly ManifestEntry[]): FolderChanges {
  const before = new Map(a.map((e) => [e.path, e.sha256]));
  const after = new Map(b.map((e) => [e.path, e.sha256]));
  const changed = b.filter((e) => before.has(e.path) && before.get(e.path) !== e.sha256).map((e) => e.path);
  return {
    added: b.filter((e) => !before.has(e.path)).map((e) => e.path),
    removed: a.filter((e) => !after.has(e.path)).map((e) => e.path),
    changed,
    unchanged: b.filter((e) => before.get(e.path) === e.sha256).length,
  };
}
