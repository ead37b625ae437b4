/**
 * `keel data gc`: delete cache objects nothing refers to: no pointer in the workspace, no dataset
 * version in the store, no entry in keel.lock. A dry run (the default) only reports. Temp files
 * of processes that no longer run are swept too.
 */
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { isMissing } from "../../artifacts/fs-errors.js";
import { invalidParam } from "../../errors.js";
import type { DatasetStore } from "../../store/dataset-store.js";
import { findPointers } from "./find-pointers.js";
import { SHA256_HEX } from "./hash-file.js";
import { type ObjectKey, objectKey } from "./object-key.js";
import { readPointer } from "./pointer-file.js";
import { isStaleTemp } from "./temp-object.js";
import { CorruptedObjectError } from "./versioning-errors.js";
import { toAbs, type Workspace } from "./workspace.js";

/** File name of the pipeline lock (written by `keel run`). */
export const LOCK_FILE = "keel.lock";

/** An object gc removes (or would). */
export interface GcObject {
  key: ObjectKey;
  size: number;
}

/** Result of {@link gcCache}. */
export interface GcReport {
  /** True when nothing was deleted. */
  dryRun: boolean;
  /** Objects kept (referenced). */
  kept: number;
  keptBytes: number;
  /** Objects deleted, or that would be. */
  removed: GcObject[];
  removedBytes: number;
  /** Stale temp files deleted, or that would be. */
  staleTemps: number;
  /** Where references came from. */
  references: { pointers: number; versions: number; lockDigests: number };
}

/** Collect references and delete (when `force`) every unreferenced object. */
export async function gcCache(
  ws: Workspace,
  store: DatasetStore,
  options: { force?: boolean } = {},
): Promise<GcReport> {
  const digests = new Set<string>();
  const pointers = await findPointers(ws.root);
  for (const rel of pointers) {
    const p = await readPointer(toAbs(ws, rel));
    if (p !== null) digests.add(p.hash.value);
  }
  let versions = 0;
  for (const d of await store.listDatasets()) {
    for (const v of await store.listDatasetVersions(d.name)) {
      digests.add(v.digest);
      versions++;
    }
  }
  const lockDigests = await lockfileDigests(ws.root);
  for (const d of lockDigests) digests.add(d);
  const referenced = await expandReferences(ws, digests);
  const objects = await ws.cache.list();
  const removed = objects.filter((o) => !referenced.has(o.key)).map((o) => ({ key: o.key, size: o.size }));
  const stale = (await readdir(ws.tmpDir).catch(() => [] as string[])).filter(isStaleTemp);
  if (options.force) {
    for (const o of removed) await ws.cache.remove(o.key);
    for (const name of stale) await rm(join(ws.tmpDir, name), { force: true });
  }
  const sum = (xs: { size: number }[]) => xs.reduce((a, o) => a + o.size, 0);
  const kept = objects.filter((o) => referenced.has(o.key));
  return {
    dryRun: !options.force,
    kept: kept.length,
    keptBytes: sum(kept),
    removed,
    removedBytes: sum(removed),
    staleTemps: stale.length,
    references: { pointers: pointers.length, versions, lockDigests: lockDigests.size },
  };
}

/** Every object key a set of digests keeps alive: each digest as a file or a folder manifest plus its files. */
async function expandReferences(ws: Workspace, digests: Set<string>): Promise<Set<ObjectKey>> {
  const keys = new Set<ObjectKey>();
  for (const digest of digests) {
    keys.add(objectKey(digest));
    keys.add(objectKey(digest, true));
    try {
      for (const e of (await ws.cache.readManifest(digest)) ?? []) keys.add(objectKey(e.sha256));
    } catch (e) {
      // A damaged manifest keeps itself; its files cannot be known, so gc must not guess.
      if (e instanceof CorruptedObjectError) {
        throw invalidParam(
          `Folder manifest ${e.objectPath} is corrupted, so gc cannot tell which files it keeps; run keel data verify and fix the cache first.`,
        );
      }
      throw e;
    }
  }
  return keys;
}

/** Every sha256 value in keel.lock, whatever its layout (the pipelines issue owns the format). */
async function lockfileDigests(root: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(join(root, LOCK_FILE), "utf8");
  } catch (e) {
    if (isMissing(e)) return new Set();
    throw e;
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw invalidParam(
      `${LOCK_FILE} is not valid YAML (${(e as Error).message.split("\n")[0]}); gc needs it to know which data the pipeline uses.`,
    );
  }
  const found = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === "string" && SHA256_HEX.test(v)) found.add(v);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === "object") Object.values(v).forEach(visit);
  };
  visit(doc);
  return found;
}
