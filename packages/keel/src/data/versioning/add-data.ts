/**
 * `keel data add`: copy a file or folder into the cache, write its pointer, keep the data out of
 * git, and record the dataset version (with schema and profile summary for tables).
 */
import { lstat } from "node:fs/promises";
import { basename, extname } from "node:path";
import { isMissing } from "../../artifacts/fs-errors.js";
import { invalidParam, notFound } from "../../errors.js";
import type { DatasetStore, DatasetVersion } from "../../store/dataset-store.js";
import { readGitInfo } from "../../track/git-info.js";
import { scanPath } from "./content-scan.js";
import { ensureGitignored } from "./gitignore.js";
import { DATASET_NAME, type DataPointer, POINTER_SUFFIX, readPointer, writePointer } from "./pointer-file.js";
import type { ProgressSink } from "./progress-sink.js";
import { StatCache } from "./stat-cache.js";
import { summarizeTable } from "./tabular-summary.js";
import { PointerFileCorruptedError } from "./versioning-errors.js";
import { type DataTarget, dataTarget, toAbs, type Workspace } from "./workspace.js";

/** Options of {@link addData}. */
export interface AddOptions {
  /** Dataset name (default: the pointer's name, else the file name without extension). */
  name?: string | undefined;
  /** Description stored with a new version. */
  description?: string | undefined;
  /** Folder user paths are relative to (default: the process's cwd). */
  cwd?: string | undefined;
  progress?: ProgressSink | undefined;
}

/** What {@link addData} recorded. */
export interface AddResult {
  name: string;
  version: number;
  digest: string;
  size: number;
  nfiles: number;
  isdir: boolean;
  /** Data path, root-relative. */
  path: string;
  /** Pointer path, root-relative. */
  pointer: string;
  /** False when the newest version already had this content (nothing new recorded). */
  created: boolean;
  /** Files read (others were known to the stat cache). */
  filesRead: number;
  /** Objects newly copied into the cache. */
  objectsCopied: number;
  /** Non-fatal problems (e.g. a table that could not be profiled). */
  warnings: string[];
}

/** Content of a data path after it is in the cache. */
interface CachedContent {
  digest: string;
  size: number;
  nfiles: number;
  isdir: boolean;
  filesRead: number;
  objectsCopied: number;
}

/**
 * Version the file or folder at `userPath`.
 *
 * @throws KeelError RESOURCE_DOES_NOT_EXIST when the path is missing, INVALID_PARAMETER_VALUE for
 *   paths outside the project, symlinks and bad names, PERMISSION_DENIED for unreadable files.
 */
export async function addData(
  ws: Workspace,
  store: DatasetStore,
  userPath: string,
  options: AddOptions = {},
): Promise<AddResult> {
  const target = dataTarget(ws, userPath, options.cwd);
  const isdir = await kindOf(target, userPath);
  await refuseNested(ws, target);
  const name = await chooseName(target, options.name);
  const content = await cacheContent(ws, target, isdir, options.progress);
  const warnings: string[] = [];
  const latest = await latestOrNull(store, name);
  const unchanged = latest !== null && latest.digest === content.digest && latest.path === target.rel;
  const summary = unchanged || isdir ? {} : await summarizeTable(target.abs, warnings);
  const recorded = await store.createDatasetVersion({
    name,
    digest: content.digest,
    size: content.size,
    fileCount: content.nfiles,
    path: target.rel,
    schema: summary.schema,
    profile: summary.profile,
    gitCommit: (await readGitInfo(ws.root))?.commit,
    description: options.description,
  });
  const pointer: DataPointer = {
    name,
    version: recorded.version,
    path: basename(target.abs),
    hash: { algo: "sha256", value: content.digest },
    meta: { size: content.size, nfiles: content.nfiles, isdir },
  };
  await writePointer(target.pointerAbs, pointer, ws.tmpDir);
  await ensureGitignored(ws.root, target.rel, ws.tmpDir);
  return {
    name,
    version: recorded.version,
    digest: content.digest,
    size: content.size,
    nfiles: content.nfiles,
    isdir,
    path: target.rel,
    pointer: target.pointerRel,
    created: latest === null || recorded.version !== latest.version,
    filesRead: content.filesRead,
    objectsCopied: content.objectsCopied,
    warnings,
  };
}

/** True for a folder, false for a file; errors for anything else. */
async function kindOf(target: DataTarget, userPath: string): Promise<boolean> {
  try {
    const st = await lstat(target.abs);
    if (st.isSymbolicLink()) {
      throw invalidParam(`'${userPath}' is a symlink; add the file or folder it points to instead.`);
    }
    if (!st.isFile() && !st.isDirectory())
      throw invalidParam(`'${userPath}' is not a regular file or folder.`);
    return st.isDirectory();
  } catch (e) {
    if (isMissing(e))
      throw notFound(`Data path '${userPath}' does not exist (looked at ${target.abs}); check the path.`);
    throw e;
  }
}

/** Data inside an already tracked folder belongs to that folder's pointer. */
async function refuseNested(ws: Workspace, target: DataTarget): Promise<void> {
  const parts = target.rel.split("/");
  for (let i = parts.length - 1; i > 0; i--) {
    const folder = parts.slice(0, i).join("/");
    if (
      await lstat(toAbs(ws, `${folder}${POINTER_SUFFIX}`)).then(
        () => true,
        () => false,
      )
    ) {
      throw invalidParam(
        `${target.rel} is inside ${folder}, which is tracked as a whole (${folder}${POINTER_SUFFIX}); run keel data add ${folder} instead.`,
      );
    }
  }
}

/** The explicit name, else the current pointer's, else one derived from the file name. */
async function chooseName(target: DataTarget, explicit: string | undefined): Promise<string> {
  let name = explicit;
  if (name === undefined) {
    try {
      name = (await readPointer(target.pointerAbs))?.name;
    } catch (e) {
      // A damaged pointer is replaced by this add; its name is lost with it.
      if (!(e instanceof PointerFileCorruptedError)) throw e;
    }
  }
  name ??= defaultName(target.abs);
  if (!DATASET_NAME.test(name)) {
    throw invalidParam(
      `Invalid dataset name '${name}': use letters, digits, '.', '_' or '-' (starting with a letter or digit), e.g. --name weather.`,
    );
  }
  return name;
}

/** `data/seattle-weather.csv` -> `seattle-weather`; other characters become '-'. */
export function defaultName(abs: string): string {
  const base = basename(abs, extname(abs)) || basename(abs);
  return base.replace(/[^A-Za-z0-9._-]/g, "-").replace(/^[^A-Za-z0-9]+/, "") || "dataset";
}

async function latestOrNull(store: DatasetStore, name: string): Promise<DatasetVersion | null> {
  const versions = await store.listDatasetVersions(name);
  return versions.at(-1) ?? null;
}

/** Copy the target's content into the cache (reading only what the stat cache does not know). */
async function cacheContent(
  ws: Workspace,
  target: DataTarget,
  isdir: boolean,
  progress: ProgressSink | undefined,
): Promise<CachedContent> {
  const stat = StatCache.open(ws.statePath);
  try {
    const scan = await scanPath(target.abs, target.rel, isdir, { stat, cache: ws.cache, progress });
    if (scan.entries !== null) await ws.cache.putManifest(scan.digest, scan.entries);
    return {
      digest: scan.digest,
      size: scan.size,
      nfiles: scan.nfiles,
      isdir,
      filesRead: scan.read,
      objectsCopied: scan.copied,
    };
  } finally {
    stat.close();
  }
}
