/**
 * `keel data checkout`: make the workspace hold exactly the bytes a pointer (the current one,
 * `NAME@N` from the store, or the pointer at a git revision) records. Objects are verified
 * before anything is touched, and changes not saved in the cache are never overwritten unless
 * forced.
 */

import { statSync } from "node:fs";
import { lstat, readFile, rm, rmdir } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { isMissing } from "../../artifacts/fs-errors.js";
import { invalidParam, KeelError, notFound } from "../../errors.js";
import type { DatasetStore, DatasetVersion } from "../../store/dataset-store.js";
import { contentFiles, notInCache } from "./content-objects.js";
import { READ_CONCURRENCY, scanFiles } from "./content-scan.js";
import { parseDatasetRef, requireStore, resolveVersion } from "./dataset-ref.js";
import type { ManifestEntry } from "./dir-manifest.js";
import { listFolderFiles } from "./folder-walk.js";
import { readAtRevision } from "./git-show.js";
import { ensureGitignored } from "./gitignore.js";
import { mapBounded } from "./map-bounded.js";
import { type Materialization, materialize } from "./materialize.js";
import { objectKey } from "./object-key.js";
import { type DataPointer, formatPointer, parsePointer, readPointer, writePointer } from "./pointer-file.js";
import { type ProgressSink, withProgress } from "./progress-sink.js";
import { StatCache, type StatEntry, stampOf } from "./stat-cache.js";
import { type DataTarget, dataTarget, type Workspace } from "./workspace.js";

/** Options of {@link checkoutData}. */
export interface CheckoutOptions {
  /** Restore this version of the pointer's dataset (from the store). */
  version?: number | undefined;
  /** Restore what the pointer recorded at this git revision. */
  rev?: string | undefined;
  /** Overwrite or delete workspace changes that are not in the cache. */
  force?: boolean | undefined;
  /** Folder user paths are relative to (default: the process's cwd). */
  cwd?: string | undefined;
  progress?: ProgressSink | undefined;
}

/** What {@link checkoutData} did. */
export interface CheckoutResult {
  name: string;
  version: number;
  digest: string;
  /** Data path, root-relative. */
  path: string;
  /** Pointer path, root-relative. */
  pointer: string;
  isdir: boolean;
  /** Files written. */
  restored: number;
  /** Files that already held the right bytes. */
  unchanged: number;
  /** Files deleted (not part of the restored folder). */
  removed: number;
  /** How the written files were made, by method. */
  methods: Partial<Record<Materialization, number>>;
}

/** What is at the data path now: entry path (`""` for a file) -> file. */
interface CurrentState {
  kind: "missing" | "file" | "dir";
  files: Map<string, { abs: string; sha256: string | null }>;
}

/**
 * Restore the data named by `spec`: a data or pointer path (with `version` or `rev` to pick
 * another recorded state), or `NAME@N` / `NAME@latest` (restored at its recorded path).
 *
 * @param store - needed for `NAME@N` and `version`; may be null otherwise.
 * @throws CorruptedObjectError when an object to restore does not match its hash (nothing is
 *   changed); KeelError INVALID_STATE when unsaved changes would be lost without `force`;
 *   RESOURCE_DOES_NOT_EXIST for unknown pointers, versions, revisions and uncached data.
 */
export async function checkoutData(
  ws: Workspace,
  store: DatasetStore | null,
  spec: string,
  options: CheckoutOptions = {},
): Promise<CheckoutResult> {
  const { target, pointer, pull } = await desiredPointer(ws, store, spec, options);
  const label = `${pointer.name}@${pointer.version} (${target.rel})`;
  const content = { digest: pointer.hash.value, isdir: pointer.meta.isdir, size: pointer.meta.size };
  const outcome = await restoreContent(ws, target, content, { ...options, label, pull });
  const text = await readFile(target.pointerAbs, "utf8").catch(() => null);
  if (text !== formatPointer(pointer)) await writePointer(target.pointerAbs, pointer, ws.tmpDir);
  await ensureGitignored(ws.root, target.rel, ws.tmpDir);
  return {
    name: pointer.name,
    version: pointer.version,
    digest: content.digest,
    path: target.rel,
    pointer: target.pointerRel,
    isdir: content.isdir,
    ...outcome,
  };
}

/** What {@link restoreContent} did to the workspace. */
export type RestoreOutcome = Pick<CheckoutResult, "restored" | "unchanged" | "removed" | "methods">;

/** Options of {@link restoreContent}. */
export interface RestoreOptions {
  /** Overwrite or delete workspace changes that are not in the cache. */
  force?: boolean | undefined;
  progress?: ProgressSink | undefined;
  /** What is restored, for messages (e.g. `weather@2 (data/weather.csv)`). */
  label: string;
  /** The `keel data pull` argument that fetches the content, for the not-in-cache message. */
  pull?: string | undefined;
}

/**
 * Make `target` hold exactly `content` (a file or folder digest from a pointer, a dataset
 * version or keel.lock): every object is verified first, only differing files are written,
 * files a folder version lacks are deleted, and unsaved workspace changes are refused unless
 * `force`. The pointer file is not touched (see {@link checkoutData}).
 *
 * @throws CorruptedObjectError, or KeelError INVALID_STATE / RESOURCE_DOES_NOT_EXIST as
 *   {@link checkoutData}.
 */
export async function restoreContent(
  ws: Workspace,
  target: DataTarget,
  content: { digest: string; isdir: boolean; size: number },
  options: RestoreOptions,
): Promise<RestoreOutcome> {
  const entries = await contentFiles(ws.cache, content, content.size, options.label, options.pull);
  const stat = StatCache.open(ws.statePath);
  try {
    const current = await currentState(target, content.isdir, stat);
    const plan = planRestore(entries, current, content.isdir);
    await guardUnsaved(ws, target, current, plan, options.force === true);
    await verifyObjects(ws, plan.write, options.label, options.pull ?? target.rel, options.progress);
    return await applyPlan(ws, target, plan, stat);
  } finally {
    stat.close();
  }
}

/**
 * The pointer to restore and where, and the `keel data pull` argument that fetches its objects:
 * the data path for the current pointer, `NAME@N` for any other recorded state (a plain pull
 * fetches only what the current pointers reference).
 */
async function desiredPointer(
  ws: Workspace,
  store: DatasetStore | null,
  spec: string,
  options: CheckoutOptions,
): Promise<{ target: DataTarget; pointer: DataPointer; pull: string }> {
  if (options.version !== undefined && options.rev !== undefined) {
    throw invalidParam("Pass either --version or --rev, not both.");
  }
  const ref = parseDatasetRef(spec);
  if (ref.kind === "version") {
    if (options.version !== undefined || options.rev !== undefined) {
      throw invalidParam(
        `'${spec}' already names a version; drop --version/--rev, or give the data path instead.`,
      );
    }
    const v = await resolveVersion(requireStore(store), ref);
    return {
      target: dataTarget(ws, v.path, ws.root),
      pointer: await pointerOfVersion(ws, v),
      pull: refOf(v),
    };
  }
  const target = dataTarget(ws, ref.path, options.cwd);
  if (options.rev !== undefined) {
    const text = await readAtRevision(ws.root, options.rev, target.pointerRel);
    const pointer = parsePointer(text, `${target.pointerRel} at ${options.rev}`);
    return { target, pointer, pull: refOf(pointer) };
  }
  const current = await readPointer(target.pointerAbs);
  if (current === null) {
    throw notFound(
      `No pointer ${target.pointerRel}: '${spec}' is not tracked here. Track it with keel data add, or name a version (keel data checkout NAME@N).`,
    );
  }
  if (options.version === undefined) return { target, pointer: current, pull: target.rel };
  const v = await requireStore(store).getDatasetVersion(current.name, options.version);
  return { target, pointer: await pointerOfVersion(ws, v), pull: refOf(v) };
}

/** `NAME@N` of a version or pointer. */
function refOf(v: { name: string; version: number }): string {
  return `${v.name}@${v.version}`;
}

/** A pointer for a stored version; whether it is a folder is read from the cache. */
async function pointerOfVersion(ws: Workspace, v: DatasetVersion): Promise<DataPointer> {
  const isdir = await ws.cache.has(objectKey(v.digest, true));
  if (!isdir && !(await ws.cache.has(objectKey(v.digest)))) {
    throw notInCache(refOf(v), objectKey(v.digest, v.fileCount !== 1), refOf(v));
  }
  return {
    name: v.name,
    version: v.version,
    path: basename(v.path),
    hash: { algo: "sha256", value: v.digest },
    meta: { size: v.size, nfiles: v.fileCount, isdir },
  };
}

/** Hash what is at the target now (through the stat cache). */
async function currentState(target: DataTarget, wantDir: boolean, stat: StatCache): Promise<CurrentState> {
  let kind: CurrentState["kind"];
  try {
    const st = await lstat(target.abs);
    if (st.isSymbolicLink() || (!st.isFile() && !st.isDirectory())) {
      throw invalidParam(`${target.rel} is not a regular file or folder; move it away before checking out.`);
    }
    kind = st.isDirectory() ? "dir" : "file";
  } catch (e) {
    if (!isMissing(e)) throw e;
    return { kind: "missing", files: new Map() };
  }
  const listed =
    kind === "file"
      ? [{ path: "", abs: target.abs, rel: target.rel }]
      : (await listFolderFiles(target.abs)).map((f) => ({
          path: f.rel,
          abs: f.abs,
          rel: `${target.rel}/${f.rel}`,
        }));
  const known = kind === "dir" || wantDir ? stat.under(target.rel) : undefined;
  const scan = await scanFiles(listed, { stat, known });
  return {
    kind,
    files: new Map(listed.map((f, i) => [f.path, { abs: f.abs, sha256: scan.files[i]?.sha256 ?? null }])),
  };
}

/** What to write and delete. */
interface RestorePlan {
  isdir: boolean;
  /** Remove the whole target first (a file where a folder goes, or the reverse). */
  replaceKind: boolean;
  write: ManifestEntry[];
  remove: string[];
  unchanged: number;
}

function planRestore(entries: ManifestEntry[], current: CurrentState, isdir: boolean): RestorePlan {
  const replaceKind = current.kind !== "missing" && (current.kind === "dir") !== isdir;
  if (replaceKind)
    return { isdir, replaceKind, write: entries, remove: [...current.files.keys()], unchanged: 0 };
  const wanted = new Set(entries.map((e) => e.path));
  const write = entries.filter((e) => current.files.get(e.path)?.sha256 !== e.sha256);
  const remove = [...current.files.keys()].filter((p) => !wanted.has(p));
  return { isdir, replaceKind, write, remove, unchanged: entries.length - write.length };
}

/** Refuse to overwrite or delete files whose content exists nowhere but in the workspace. */
async function guardUnsaved(
  ws: Workspace,
  target: DataTarget,
  current: CurrentState,
  plan: RestorePlan,
  force: boolean,
): Promise<void> {
  if (force) return;
  const touched = [...plan.write.map((e) => e.path), ...plan.remove];
  const candidates = touched.flatMap((p) => {
    const file = current.files.get(p);
    return file?.sha256 ? [{ path: p, sha256: file.sha256 }] : [];
  });
  if (plan.replaceKind)
    for (const [p, f] of current.files) if (f.sha256) candidates.push({ path: p, sha256: f.sha256 });
  const present = await ws.cache.present(candidates.map((c) => objectKey(c.sha256)));
  const unsaved = [...new Set(candidates.filter((c) => !present.has(c.sha256)).map((c) => c.path))];
  if (unsaved.length === 0) return;
  const shown = unsaved.slice(0, 5).map((p) => (p === "" ? target.rel : `${target.rel}/${p}`));
  const more = unsaved.length > 5 ? ` and ${unsaved.length - 5} more` : "";
  throw new KeelError(
    "INVALID_STATE",
    `Checkout would overwrite changes that are not saved in the cache: ${shown.join(", ")}${more}. Save them with keel data add ${target.rel}, or pass --force to discard them.`,
  );
}

/** Re-hash every object about to be restored; nothing is touched unless all match. */
async function verifyObjects(
  ws: Workspace,
  write: ManifestEntry[],
  label: string,
  pull: string,
  progress?: ProgressSink,
): Promise<void> {
  const unique = [...new Map(write.map((e) => [e.sha256, e])).values()];
  const present = await ws.cache.present(unique.map((e) => objectKey(e.sha256)));
  const missing = unique.find((e) => !present.has(e.sha256));
  if (missing !== undefined) throw notInCache(label, objectKey(missing.sha256), pull);
  const total = unique.reduce((sum, e) => sum + e.size, 0);
  await withProgress(progress, total, "verifying", (advance) =>
    mapBounded(unique, READ_CONCURRENCY, (e) => ws.cache.verifyFileObject(e.sha256, advance)),
  );
}

async function applyPlan(
  ws: Workspace,
  target: DataTarget,
  plan: RestorePlan,
  stat: StatCache,
): Promise<RestoreOutcome> {
  const destOf = (path: string) => (path === "" ? target.abs : join(target.abs, ...path.split("/")));
  if (plan.replaceKind) await rm(target.abs, { recursive: true, force: true });
  else {
    for (const path of plan.remove) {
      await rm(destOf(path), { force: true });
      await pruneEmptyParents(dirname(destOf(path)), target.abs);
    }
  }
  const methods: Partial<Record<Materialization, number>> = {};
  const written: StatEntry[] = [];
  await mapBounded(plan.write, READ_CONCURRENCY, async (e) => {
    const dest = destOf(e.path);
    const how = await materialize(ws.cache.pathOf(objectKey(e.sha256)), dest, ws.linkMode);
    methods[how] = (methods[how] ?? 0) + 1;
    const rel = e.path === "" ? target.rel : `${target.rel}/${e.path}`;
    written.push({ path: rel, ...stampOf(statSync(dest, { bigint: true })), sha256: e.sha256 });
  });
  stat.recordWritten(written);
  return { restored: plan.write.length, unchanged: plan.unchanged, removed: plan.remove.length, methods };
}

/** Remove folders left empty by deletions, up to (not including) `stop`. */
async function pruneEmptyParents(dir: string, stop: string): Promise<void> {
  for (let d = dir; d !== stop && d.startsWith(stop); d = dirname(d)) {
    try {
      await rmdir(d);
    } catch {
      return;
    }
  }
}
