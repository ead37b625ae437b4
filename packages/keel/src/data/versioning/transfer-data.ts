/**
 * `keel data push` and `pull`: move the objects behind pointers, or behind stored dataset versions
 * named `NAME@N` / `NAME@latest`, between the cache and a remote. One listing of each side
 * decides what moves (only missing objects), every object is verified by hash where it arrives,
 * and a folder's manifest moves after its files, so a remote never holds a manifest whose files
 * are missing. `pull` then checks the pointers out; named versions are only fetched, so that
 * `keel data checkout PATH --version N` (or `checkout NAME@N`) can restore them afterwards.
 * Content recorded elsewhere (pipeline outputs in keel.lock) moves the same way when the caller
 * passes it as `recorded`; checking it out is the caller's business.
 */
import { createReadStream } from "node:fs";
import { isKeelError } from "../../errors.js";
import type { DatasetStore, DatasetVersion } from "../../store/dataset-store.js";
import { type CheckoutResult, checkoutData } from "./checkout-data.js";
import type { ContentRef } from "./content-objects.js";
import { parseDatasetRef, requireStore, resolveVersion } from "./dataset-ref.js";
import { pointersFor } from "./find-pointers.js";
import { mapBounded } from "./map-bounded.js";
import { type ObjectKey, objectKey } from "./object-key.js";
import { openRemote } from "./open-remote.js";
import { type DataPointer, readPointer } from "./pointer-file.js";
import { type ProgressSink, withProgress } from "./progress-sink.js";
import { toAbs, type Workspace } from "./workspace.js";

/** Objects moved at once: transfers are I/O bound, hashing on arrival is cheap. */
const TRANSFER_CONCURRENCY = 4;

/** Options of {@link pushData} and {@link pullData}. */
export interface TransferOptions {
  /** Remote name from keel.yaml (default: `default`, or the only one). */
  remote?: string | undefined;
  /**
   * Data paths, pointers or folders, and dataset references `NAME@N` / `NAME@latest` (default:
   * every pointer in the project). With only references, no pointer is transferred.
   */
  paths?: readonly string[] | undefined;
  /** Folder user paths are relative to. */
  cwd?: string | undefined;
  progress?: ProgressSink | undefined;
  /** False: move no pointer's objects, only versions and `recorded` content (default true). */
  pointers?: boolean | undefined;
  /** Content recorded outside pointer files (pipeline outputs) to move as well. */
  recorded?: readonly RecordedContent[] | undefined;
}

/** Content recorded outside pointer files, e.g. a pipeline output in keel.lock. */
export interface RecordedContent {
  /** Root-relative path it belongs at. */
  readonly path: string;
  /** Its sha256 (of the file, or of the folder's manifest). */
  readonly digest: string;
  readonly isdir: boolean;
  /** Bytes (a folder: all its files). */
  readonly size: number;
}

/** A stored version a transfer moved the objects of (named as `NAME@N` / `NAME@latest`). */
export interface TransferredVersion {
  name: string;
  version: number;
  digest: string;
  /** Where the version was recorded from, root-relative. */
  path: string;
  isdir: boolean;
}

/** What a transfer did. */
export interface TransferResult {
  remote: string;
  url: string;
  /** Pointers considered. */
  pointers: number;
  /** Recorded contents (pipeline outputs) considered. */
  recorded: number;
  /** Stored versions considered (named as `NAME@N`); a pull fetches them without checking them out. */
  versions: TransferredVersion[];
  /** Objects those pointers and versions need. */
  objects: number;
  /** Objects moved. */
  transferred: number;
  /** Bytes moved. */
  bytes: number;
  /** Objects the destination already had. */
  alreadyThere: number;
  /** Objects needed but absent at the source (push: local cache; pull: remote). */
  missing: ObjectKey[];
  /** Pull only: the checkouts that followed. */
  checkedOut: CheckoutResult[];
  /** Pull only: pointers that could not be checked out, with the reason. */
  warnings: string[];
}

/** An object to move and its size when known. */
interface Wanted {
  key: ObjectKey;
  size: number;
}

/** Content to move (a file object, or a folder manifest and its files) and its total size. */
interface Content extends ContentRef {
  size: number;
}

/** What the user named: pointers (checked out after a pull) and stored versions. */
interface Selection {
  pointers: { rel: string; pointer: DataPointer }[];
  versions: DatasetVersion[];
  recorded: readonly RecordedContent[];
}

/**
 * Push the objects of the selected pointers and versions to the remote.
 * @param store - needed only when `paths` names versions (`NAME@N`).
 */
export async function pushData(
  ws: Workspace,
  options: TransferOptions = {},
  store: DatasetStore | null = null,
): Promise<TransferResult> {
  const { name, remote } = await openRemote(ws.config, ws.root, options.remote);
  const selection = await select(ws, store, options);
  // A version's kind (file or folder) is known from whichever of its objects the cache holds.
  const local = await ws.cache.present(versionKeys(selection.versions));
  const { all: contents, versions } = contentsOf(selection, (key) => local.has(key));
  const wanted = dedupe([...(await filesOf(ws, contents)), ...manifestsOf(contents)]);
  const present = await ws.cache.present(wanted.map((w) => w.key));
  const remoteKeys = await remote.list();
  const missing = wanted.filter((w) => !present.has(w.key)).map((w) => w.key);
  const todo = wanted.filter((w) => present.has(w.key) && !remoteKeys.has(w.key));
  const send = (w: Wanted, advance?: (n: number) => void) =>
    remote.put(w.key, createReadStream(ws.cache.pathOf(w.key), { highWaterMark: 1024 * 1024 }), advance);
  const bytes = await moveInPhases(todo, options.progress, "pushing", send);
  return {
    remote: name,
    url: remote.url,
    pointers: selection.pointers.length,
    recorded: selection.recorded.length,
    versions,
    objects: wanted.length,
    transferred: todo.length,
    bytes,
    alreadyThere: wanted.length - todo.length - missing.length,
    missing,
    checkedOut: [],
    warnings: [],
  };
}

/**
 * Fetch the objects of the selected pointers and versions from the remote, then check the
 * pointers out (named versions are fetched only).
 * @param store - needed when `paths` names versions (`NAME@N`); may be null otherwise.
 */
export async function pullData(
  ws: Workspace,
  store: DatasetStore | null,
  options: TransferOptions = {},
): Promise<TransferResult> {
  const { name, remote } = await openRemote(ws.config, ws.root, options.remote);
  const selection = await select(ws, store, options);
  const remoteKeys = await remote.list();
  const local = await ws.cache.present(versionKeys(selection.versions));
  const { all: contents, versions } = contentsOf(selection, (key) => local.has(key) || remoteKeys.has(key));
  const fetch = (w: Wanted, advance?: (n: number) => void) =>
    remote.get(w.key).then((body) => ws.cache.receive(w.key, body, remote.url, advance));
  // Manifests first: they say which file objects a folder needs.
  const manifestKeys = dedupe(manifestsOf(contents));
  const manifestState = await plan(ws, manifestKeys, remoteKeys);
  let bytes = await moveInPhases(manifestState.todo, undefined, "pulling", fetch);
  const fileState = await plan(ws, dedupe(await filesOf(ws, contents)), remoteKeys);
  bytes += await moveInPhases(fileState.todo, options.progress, "pulling", fetch);
  const missing = [...manifestState.missing, ...fileState.missing];
  const checkedOut: CheckoutResult[] = [];
  const warnings: string[] = [];
  for (const { rel } of selection.pointers) {
    try {
      checkedOut.push(await checkoutData(ws, store, rel, { cwd: ws.root }));
    } catch (e) {
      if (!isKeelError(e)) throw e;
      warnings.push(`${rel}: ${e.message}`);
    }
  }
  const total = manifestKeys.length + fileState.wanted;
  const moved = manifestState.todo.length + fileState.todo.length;
  return {
    remote: name,
    url: remote.url,
    pointers: selection.pointers.length,
    recorded: selection.recorded.length,
    versions,
    objects: total,
    transferred: moved,
    bytes,
    alreadyThere: total - moved - missing.length,
    missing,
    checkedOut,
    warnings,
  };
}

/**
 * Split the user's paths into pointers and `NAME@N` references (resolved in the store). No paths
 * means every pointer; only references means no pointer.
 */
async function select(
  ws: Workspace,
  store: DatasetStore | null,
  options: TransferOptions,
): Promise<Selection> {
  const paths: string[] = [];
  const versions: DatasetVersion[] = [];
  const all = options.paths ?? [];
  for (const p of all) {
    const ref = parseDatasetRef(p);
    if (ref.kind === "path") paths.push(p);
    else versions.push(await resolveVersion(requireStore(store), ref));
  }
  const none = options.pointers === false || (all.length > 0 && paths.length === 0);
  const pointers = none ? [] : await loadPointers(ws, paths, options.cwd);
  return {
    pointers,
    versions: [...new Map(versions.map((v) => [`${v.name}@${v.version}`, v])).values()],
    recorded: options.recorded ?? [],
  };
}

async function loadPointers(
  ws: Workspace,
  paths: readonly string[],
  cwd: string | undefined,
): Promise<{ rel: string; pointer: DataPointer }[]> {
  const rels = await pointersFor(ws, paths, cwd);
  const out: { rel: string; pointer: DataPointer }[] = [];
  for (const rel of rels) {
    const pointer = await readPointer(toAbs(ws, rel));
    if (pointer !== null) out.push({ rel, pointer });
  }
  return out;
}

/** Both possible objects of each version: its file object and its folder manifest. */
function versionKeys(versions: readonly DatasetVersion[]): ObjectKey[] {
  return versions.flatMap((v) => [objectKey(v.digest), objectKey(v.digest, true)]);
}

/** The content a pointer records. */
function pointerContent({ pointer }: { pointer: DataPointer }): Content {
  return { digest: pointer.hash.value, isdir: pointer.meta.isdir, size: pointer.meta.size };
}

/**
 * The content of a stored version. The store does not say whether it is a folder; whichever of
 * its objects `known` finds (in the cache or on the remote) does, and when neither is there the
 * file count guesses which key to report missing.
 */
function versionContent(v: DatasetVersion, known: (key: ObjectKey) => boolean): Content {
  const isdir = known(objectKey(v.digest, true)) || (!known(objectKey(v.digest)) && v.fileCount !== 1);
  return { digest: v.digest, isdir, size: v.size };
}

/** Every selected pointer's and version's content, versions apart for the report. */
function contentsOf(
  selection: Selection,
  known: (key: ObjectKey) => boolean,
): { all: Content[]; versions: TransferredVersion[] } {
  const fromVersions = selection.versions.map((v) => versionContent(v, known));
  return {
    all: [...selection.pointers.map(pointerContent), ...selection.recorded, ...fromVersions],
    versions: selection.versions.map((v, i) => ({
      name: v.name,
      version: v.version,
      digest: v.digest,
      path: v.path,
      isdir: fromVersions[i]?.isdir ?? false,
    })),
  };
}

/** The folder manifests of `contents`. */
function manifestsOf(contents: readonly Content[]): Wanted[] {
  return contents.filter((c) => c.isdir).map((c) => ({ key: objectKey(c.digest, true), size: 0 }));
}

/** The file objects of `contents`; a folder's come from its cached manifest (none when absent). */
async function filesOf(ws: Workspace, contents: readonly Content[]): Promise<Wanted[]> {
  const files: Wanted[] = [];
  for (const c of contents) {
    if (!c.isdir) files.push({ key: objectKey(c.digest), size: c.size });
    else {
      for (const e of (await ws.cache.readManifest(c.digest)) ?? [])
        files.push({ key: objectKey(e.sha256), size: e.size });
    }
  }
  return files;
}

/** Which wanted objects are not local yet, split into fetchable and absent from the remote. */
async function plan(
  ws: Workspace,
  wanted: Wanted[],
  remoteKeys: Set<ObjectKey>,
): Promise<{ todo: Wanted[]; missing: ObjectKey[]; wanted: number }> {
  const local = await ws.cache.present(wanted.map((w) => w.key));
  const absent = wanted.filter((w) => !local.has(w.key));
  return {
    todo: absent.filter((w) => remoteKeys.has(w.key)),
    missing: absent.filter((w) => !remoteKeys.has(w.key)).map((w) => w.key),
    wanted: wanted.length,
  };
}

/** Move file objects first, then manifests, a few at a time; returns bytes moved. */
async function moveInPhases(
  todo: Wanted[],
  progress: ProgressSink | undefined,
  label: string,
  move: (w: Wanted, advance?: (n: number) => void) => Promise<number>,
): Promise<number> {
  const isManifest = (w: Wanted) => w.key.endsWith(".dir");
  let bytes = 0;
  for (const phase of [todo.filter((w) => !isManifest(w)), todo.filter(isManifest)]) {
    const total = phase.reduce((sum, w) => sum + w.size, 0);
    const sizes = await withProgress(progress, total, label, (advance) =>
      mapBounded(phase, TRANSFER_CONCURRENCY, (w) => move(w, advance)),
    );
    bytes += sizes.reduce((a, b) => a + b, 0);
  }
  return bytes;
}

function dedupe(items: Wanted[]): Wanted[] {
  return [...new Map(items.map((w) => [w.key, w])).values()];
}
