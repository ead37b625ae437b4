/**
 * `keel data status`: for every pointer, whether the workspace still holds the recorded bytes
 * and whether the cache holds them too. Only files whose stat changed are read.
 */
import { lstat } from "node:fs/promises";
import { isMissing } from "../../artifacts/fs-errors.js";
import { scanPath } from "./content-scan.js";
import { folderChanges } from "./data-diff.js";
import type { ManifestEntry } from "./dir-manifest.js";
import { pointersFor } from "./find-pointers.js";
import { hashCounters } from "./hash-file.js";
import { objectKey } from "./object-key.js";
import { type DataPointer, POINTER_SUFFIX, readPointer } from "./pointer-file.js";
import { StatCache } from "./stat-cache.js";
import { PointerFileCorruptedError } from "./versioning-errors.js";
import { targetOfPointer, toAbs, type Workspace } from "./workspace.js";

/** Workspace state of one pointed path. */
export type DataState =
  /** The workspace holds the recorded bytes. */
  | "clean"
  /** The content differs from the pointer (`keel data add` to record it, checkout to undo). */
  | "modified"
  /** The pointer exists but the data does not (`keel data checkout` / `pull`). */
  | "missing"
  /** The pointer file cannot be read. */
  | "invalid-pointer";

/** One pointer's status. */
export interface StatusEntry {
  /** Pointer path, root-relative. */
  pointer: string;
  /** Data path, root-relative (the pointer path minus `.keel` when the pointer is unreadable). */
  path: string;
  name: string | null;
  version: number | null;
  isdir: boolean;
  state: DataState;
  /** Whether every object of the recorded content is in the local cache. */
  inCache: boolean;
  /** Files inside a tracked folder that its pointer does not list ("untracked but pointed"). */
  untracked: string[];
  /** Recorded files that are gone from the folder. */
  deleted: string[];
  /** Recorded files whose content changed. */
  changed: string[];
  /** Why the pointer is unreadable. */
  error?: string;
}

/** The whole status report. */
export interface StatusReport {
  entries: StatusEntry[];
  /** Files read to compute it (0 when nothing changed since the last look). */
  filesHashed: number;
}

/**
 * Status of the pointers at or below `paths` (data paths, pointer paths or folders; default: the
 * whole project).
 */
export async function dataStatus(
  ws: Workspace,
  paths: readonly string[] = [],
  cwd?: string,
): Promise<StatusReport> {
  const pointers = await pointersFor(ws, paths, cwd);
  const before = hashCounters.files;
  const stat = StatCache.open(ws.statePath);
  try {
    const entries: StatusEntry[] = [];
    for (const pointerRel of pointers) entries.push(await statusOf(ws, pointerRel, stat));
    return { entries, filesHashed: hashCounters.files - before };
  } finally {
    stat.close();
  }
}

async function statusOf(ws: Workspace, pointerRel: string, stat: StatCache): Promise<StatusEntry> {
  let pointer: DataPointer | null;
  try {
    pointer = await readPointer(toAbs(ws, pointerRel));
  } catch (e) {
    if (!(e instanceof PointerFileCorruptedError)) throw e;
    return {
      ...blank(pointerRel, pointerRel.slice(0, -POINTER_SUFFIX.length)),
      state: "invalid-pointer",
      error: e.message,
    };
  }
  if (pointer === null)
    return { ...blank(pointerRel, pointerRel.slice(0, -POINTER_SUFFIX.length)), state: "missing" };
  const target = targetOfPointer(ws, pointerRel, pointer);
  const base = {
    ...blank(pointerRel, target.rel),
    name: pointer.name,
    version: pointer.version,
    isdir: pointer.meta.isdir,
  };
  const kind = await lstat(target.abs).then(
    (st) => (st.isDirectory() ? "dir" : "file"),
    (e: unknown) => {
      if (isMissing(e)) return "missing" as const;
      throw e;
    },
  );
  const scan =
    kind === "missing" || (kind === "dir") !== pointer.meta.isdir
      ? null
      : await scanPath(target.abs, target.rel, pointer.meta.isdir, { stat });
  if (scan !== null && scan.digest === pointer.hash.value) {
    // Clean: the workspace lists exactly the recorded files, so the manifest need not be read.
    return { ...base, state: "clean", inCache: await allCached(ws, pointer, scan.entries) };
  }
  const recorded = pointer.meta.isdir
    ? await ws.cache.readManifest(pointer.hash.value).catch(() => null)
    : null;
  const inCache = await allCached(ws, pointer, recorded);
  if (kind === "missing") return { ...base, state: "missing", inCache };
  return { ...base, state: "modified", inCache, ...fileChanges(recorded, scan?.entries ?? []) };
}

function blank(pointer: string, path: string): StatusEntry {
  return {
    pointer,
    path,
    name: null,
    version: null,
    isdir: false,
    state: "clean",
    inCache: false,
    untracked: [],
    deleted: [],
    changed: [],
  };
}

/** Whether the content's objects are cached (for a folder: its manifest and the files of `entries`). */
async function allCached(
  ws: Workspace,
  pointer: DataPointer,
  entries: ManifestEntry[] | null,
): Promise<boolean> {
  if (!pointer.meta.isdir) return ws.cache.has(objectKey(pointer.hash.value), pointer.meta.size);
  if (entries === null || !(await ws.cache.has(objectKey(pointer.hash.value, true)))) return false;
  const keys = entries.map((e) => objectKey(e.sha256));
  const present = await ws.cache.present(keys);
  return keys.every((k) => present.has(k));
}

/** File-level differences against the recorded manifest (unknown when it is not cached). */
function fileChanges(
  recorded: ManifestEntry[] | null,
  current: ManifestEntry[],
): Pick<StatusEntry, "untracked" | "deleted" | "changed"> {
  if (recorded === null) return { untracked: [], deleted: [], changed: [] };
  const { added, removed, changed } = folderChanges(recorded, current);
  return { untracked: added, deleted: removed, changed };
}
