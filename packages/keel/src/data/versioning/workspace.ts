/**
 * A project seen by data versioning: its root, the `.keel` folders (cache, tmp, stat cache) and
 * the mapping between user paths, data paths and pointer files.
 */
import { realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { isInside } from "../../artifacts/resolve-inside.js";
import { invalidParam } from "../../errors.js";
import { KEEL_DIR, type KeelConfig, loadProject, type Project } from "../../project/keel-config.js";
import { ObjectCache } from "./object-cache.js";
import { type DataPointer, POINTER_SUFFIX } from "./pointer-file.js";

/** How checkout materialises files when reflinks are unavailable. */
export type LinkMode = "copy" | "hardlink";

/** The data-versioning view of a project. */
export interface Workspace {
  /** Project root (real path). */
  readonly root: string;
  /** `.keel` under the root. */
  readonly keelDir: string;
  /** `.keel/tmp`: temp files, on the cache's filesystem. */
  readonly tmpDir: string;
  /** `.keel/state.db`: the stat cache. */
  readonly statePath: string;
  /** The object cache `.keel/cache`. */
  readonly cache: ObjectCache;
  /** The project's keel.yaml. */
  readonly config: KeelConfig;
  /** `cache.link` from keel.yaml (default copy). */
  readonly linkMode: LinkMode;
}

/** A data path and its pointer, absolute and relative to the root (`/`-separated). */
export interface DataTarget {
  abs: string;
  rel: string;
  pointerAbs: string;
  pointerRel: string;
}

/** The workspace of a located project. */
export function openWorkspace(project: Project): Workspace {
  const root = realpathSync(project.root);
  const keelDir = join(root, KEEL_DIR);
  const tmpDir = join(keelDir, "tmp");
  return Object.freeze({
    root,
    keelDir,
    tmpDir,
    statePath: join(keelDir, "state.db"),
    cache: new ObjectCache(join(keelDir, "cache"), tmpDir),
    config: project.config,
    linkMode: project.config.cache?.link ?? "copy",
  });
}

/** The workspace of the project around `start` (keel.yaml upwards, else `start` itself). */
export function workspaceAt(start: string = process.cwd()): Workspace {
  return openWorkspace(loadProject(start));
}

/** `/`-separated path of `abs` relative to the root. */
export function toRel(ws: Workspace, abs: string): string {
  return relative(ws.root, abs).split(sep).join("/");
}

/** Absolute path of a root-relative `/`-separated path. */
export function toAbs(ws: Workspace, rel: string): string {
  return join(ws.root, ...rel.split("/"));
}

/**
 * The data path a user named (the data itself or its `.keel` pointer), resolved against `cwd`.
 * @throws KeelError INVALID_PARAMETER_VALUE when it is outside the project, the project root
 *   itself, or inside `.keel`.
 */
export function dataTarget(ws: Workspace, userPath: string, cwd: string = process.cwd()): DataTarget {
  let abs = resolve(realCwd(cwd), userPath);
  if (abs.endsWith(POINTER_SUFFIX) && basename(abs) !== POINTER_SUFFIX)
    abs = abs.slice(0, -POINTER_SUFFIX.length);
  if (!isInside(ws.root, abs) || abs === ws.root) {
    throw invalidParam(
      `Data path '${userPath}' is ${abs === ws.root ? "the project root" : "outside the project"} (${ws.root}); track files or folders inside the project.`,
    );
  }
  if (isInside(ws.keelDir, abs)) {
    throw invalidParam(
      `Data path '${userPath}' is inside ${KEEL_DIR}/, Keel's own state; track your data files instead.`,
    );
  }
  const rel = toRel(ws, abs);
  return { abs, rel, pointerAbs: `${abs}${POINTER_SUFFIX}`, pointerRel: `${rel}${POINTER_SUFFIX}` };
}

/** The data target a pointer (at root-relative `pointerRel`) points to. */
export function targetOfPointer(ws: Workspace, pointerRel: string, pointer: DataPointer): DataTarget {
  const pointerAbs = toAbs(ws, pointerRel);
  const abs = join(dirname(pointerAbs), ...pointer.path.split("/"));
  return { abs, rel: toRel(ws, abs), pointerAbs, pointerRel };
}

function realCwd(cwd: string): string {
  const abs = isAbsolute(cwd) ? cwd : resolve(cwd);
  try {
    return realpathSync(abs);
  } catch {
    return abs;
  }
}
