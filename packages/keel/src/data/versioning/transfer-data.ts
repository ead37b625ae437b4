/**
 * `keel data push` and `pull`: move the objects behind pointers between the cache and a remote.
 * One listing of each side decides what moves (only missing objects), every object is verified
 * by hash where it arrives, and a folder's manifest moves after its files, so a remote never
 * holds a manifest whose files are missing. `pull` then checks the data out.
 */
import { createReadStream } from "node:fs";
import { isKeelError } from "../../errors.js";
import type { DatasetStore } from "../../store/dataset-store.js";
import { type CheckoutResult, checkoutData } from "./checkout-data.js";
import type { ManifestEntry } from "./dir-manifest.js";
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
  /** Data paths, pointers or folders (default: every pointer in the project). */
  paths?: readonly string[] | undefined;
  /** Folder user paths are relative to. */
  cwd?: string | undefined;
  progress?: ProgressSink | undefined;
}

/** What a transfer did. */
export interface TransferResult {
  remote: string;
  url: string;
  /** Pointers considered. */
  pointers: number;
  /** Objects those pointers need. */
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

/** Push the objects of the selected pointers to the remote. */
export async function pushData(ws: Workspace, options: TransferOptions = {}): Promise<TransferResult> {
  const { name, remote } = await openRemote(ws.config, ws.root, options.remote);
  const pointers = await loadPointers(ws, options);
  const files: Wanted[] = [];
  const manifests: Wanted[] = [];
  for (const { pointer } of pointers) {
    if (!pointer.meta.isdir) files.push({ key: objectKey(pointer.hash.value), size: pointer.meta.size });
    else {
      const entries = await ws.cache.readManifest(pointer.hash.value);
      for (const e of entries ?? []) files.push({ key: objectKey(e.sha256), size: e.size });
      manifests.push({ key: objectKey(pointer.hash.value, true), size: 0 });
    }
  }
  const wanted = dedupe([...files, ...manifests]);
  const local = await ws.cache.present(wanted.map((w) => w.key));
  const remoteKeys = await remote.list();
  const missing = wanted.filter((w) => !local.has(w.key)).map((w) => w.key);
  const todo = wanted.filter((w) => local.has(w.key) && !remoteKeys.has(w.key));
  const send = (w: Wanted, advance?: (n: number) => void) =>
    remote.put(w.key, createReadStream(ws.cache.pathOf(w.key), { highWaterMark: 1024 * 1024 }), advance);
  const bytes = await moveInPhases(todo, options.progress, "pushing", send);
  return {
    remote: name,
    url: remote.url,
    pointers: pointers.length,
    objects: wanted.length,
    transferred: todo.length,
    bytes,
    alreadyThere: wanted.length - todo.length - missing.length,
    missing,
    checkedOut: [],
    warnings: [],
  };
}

/** Fetch the objects of the selected pointers from the remote, then check the data out. */
export async function pullData(
  ws: Workspace,
  store: DatasetStore | null,
  options: TransferOptions = {},
): Promise<TransferResult> {
  const { name, remote } = await openRemote(ws.config, ws.root, options.remote);
  const pointers = await loadPointers(ws, options);
  const remoteKeys = await remote.list();
  const fetch = (w: Wanted, advance?: (n: number) => void) =>
    remote.get(w.key).then((body) => ws.cache.receive(w.key, body, remote.url, advance));
  // Manifests first: they say which file objects a folder needs.
  const manifestKeys = dedupe(
    pointers
      .filter((p) => p.pointer.meta.isdir)
      .map((p) => ({ key: objectKey(p.pointer.hash.value, true), size: 0 })),
  );
  const manifestState = await plan(ws, manifestKeys, remoteKeys);
  let bytes = await moveInPhases(manifestState.todo, undefined, "pulling", fetch);
  const files: Wanted[] = [];
  for (const { pointer } of pointers) {
    if (!pointer.meta.isdir) files.push({ key: objectKey(pointer.hash.value), size: pointer.meta.size });
    else {
      const entries: ManifestEntry[] = (await ws.cache.readManifest(pointer.hash.value)) ?? [];
      for (const e of entries) files.push({ key: objectKey(e.sha256), size: e.size });
    }
  }
  const fileState = await plan(ws, dedupe(files), remoteKeys);
  bytes += await moveInPhases(fileState.todo, options.progress, "pulling", fetch);
  const missing = [...manifestState.missing, ...fileState.missing];
  const checkedOut: CheckoutResult[] = [];
  const warnings: string[] = [];
  for (const { rel } of pointers) {
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
    pointers: pointers.length,
    objects: total,
    transferred: moved,
    bytes,
    alreadyThere: total - moved - missing.length,
    missing,
    checkedOut,
    warnings,
  };
}

async function loadPointers(
  ws: Workspace,
  options: TransferOptions,
): Promise<{ rel: string; pointer: DataPointer }[]> {
  const rels = await pointersFor(ws, options.paths ?? [], options.cwd);
  const out: { rel: string; pointer: DataPointer }[] = [];
  for (const rel of rels) {
    const pointer = await readPointer(toAbs(ws, rel));
    if (pointer !== null) out.push({ rel, pointer });
  }
  return out;
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
