/**
 * Finding pointer files in the workspace. Keel's own folder, `.git` and `node_modules` are
 * skipped, and so is the inside of every tracked folder (its content belongs to its pointer).
 */
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { isMissing } from "../../artifacts/fs-errors.js";
import { notFound } from "../../errors.js";
import { KEEL_DIR } from "../../project/keel-config.js";
import { POINTER_SUFFIX } from "./pointer-file.js";
import { dataTarget, type Workspace } from "./workspace.js";

const SKIPPED = new Set([KEEL_DIR, ".git", "node_modules"]);

/**
 * Root-relative paths of every pointer file at or below root-relative folder `start`, sorted.
 * @param root - the project root (absolute).
 * @param start - a folder below the root (`""` for the whole project).
 */
export async function findPointers(root: string, start = ""): Promise<string[]> {
  const found: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = await readdir(rel === "" ? root : join(root, ...rel.split("/")), { withFileTypes: true });
    } catch (e) {
      if (isMissing(e)) return;
      throw e;
    }
    const names = new Set(entries.map((e) => e.name));
    const folders: string[] = [];
    for (const entry of entries) {
      const childRel = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isFile() && entry.name.endsWith(POINTER_SUFFIX) && entry.name !== POINTER_SUFFIX)
        found.push(childRel);
      else if (
        entry.isDirectory() &&
        !SKIPPED.has(entry.name) &&
        !names.has(`${entry.name}${POINTER_SUFFIX}`)
      ) {
        folders.push(childRel);
      }
    }
    for (const folder of folders) await walk(folder);
  };
  await walk(start);
  return found.sort();
}

/**
 * Pointers named by user paths (data paths, pointer paths, or folders searched below), root-
 * relative and sorted; every pointer of the project when `paths` is empty.
 * @throws KeelError RESOURCE_DOES_NOT_EXIST naming a path that has no pointer at or below it.
 */
export async function pointersFor(ws: Workspace, paths: readonly string[], cwd?: string): Promise<string[]> {
  if (paths.length === 0) return findPointers(ws.root);
  const out = new Set<string>();
  for (const p of paths) {
    const target = dataTarget(ws, p, cwd);
    const isPointer = await lstat(target.pointerAbs).then(
      (st) => st.isFile(),
      () => false,
    );
    const found = isPointer ? [target.pointerRel] : await findPointers(ws.root, target.rel);
    if (found.length === 0) {
      throw notFound(
        `'${p}' is not tracked: there is no ${target.pointerRel} and no pointer below it. Track it with keel data add ${p}.`,
      );
    }
    for (const f of found) out.add(f);
  }
  return [...out].sort();
}
