import { createReadStream, type Dirent, type Stats } from "node:fs";
import { mkdir, open, readdir, realpath, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { invalidParam, isKeelError, notFound } from "../errors.js";
import type { ArtifactStore, FileInfo } from "./artifact-store.js";
import { type ArtifactBody, writeAtomic } from "./atomic-write.js";
import { isMissing } from "./fs-errors.js";
import { resolveInside } from "./resolve-inside.js";
import { joinArtifactPath, normalizeArtifactPath } from "./safe-path.js";

/** A checked artifact path: the clean relative form and where it lives on disk. */
interface Located {
  /** Clean relative path, `''` for the root. */
  rel: string;
  /** Absolute path under the root's real path. */
  abs: string;
  /** The root's real path, for checking children. */
  rootReal: string;
}

/**
 * An {@link ArtifactStore} in a local folder, created on demand.
 *
 * Writes go to a temp file in the sibling folder `<root>.tmp` (same filesystem, never listed)
 * and are renamed into place, so readers never see a partial file. Every path goes through
 * `normalizeArtifactPath` and `resolveInside`: `..`, absolute paths and symlinks leading out of
 * the root are refused for reads, writes, listings and deletes.
 *
 * @example
 * const store = new LocalArtifactStore(".keel/artifacts");
 * await store.put("1/abc/artifacts/notes.txt", Buffer.from("hi"));
 * await store.list("1/abc/artifacts"); // [{ path: "1/abc/artifacts/notes.txt", isDir: false, fileSize: 2 }]
 */
export class LocalArtifactStore implements ArtifactStore {
  /** `file://` URI of the root folder. */
  readonly rootUri: string;
  /** Absolute root folder, as given (symlinks in it are resolved once per call). */
  readonly root: string;
  readonly #tmpDir: string;

  /** @param root - the store's folder, absolute or relative to the working directory. */
  constructor(root: string) {
    this.root = resolve(root);
    this.#tmpDir = `${this.root}.tmp`;
    this.rootUri = pathToFileURL(this.root).href;
  }

  /**
   * Write bytes or a stream to `path` atomically; parent folders are created. The stream is
   * consumed (and destroyed on failure). Fails with INVALID_PARAMETER_VALUE when `path` is the
   * root, a folder, or below a file.
   */
  async put(path: string, body: ArtifactBody): Promise<number> {
    let where: Located;
    try {
      where = await this.#locate(path);
    } catch (e) {
      if (body instanceof Readable) body.destroy();
      throw e;
    }
    const { rel, abs } = where;
    if (rel === "" || (await statOrNull(abs))?.isDirectory()) {
      if (body instanceof Readable) body.destroy();
      throw invalidParam(
        `Artifact path ${JSON.stringify(rel)} is a folder; give a file path inside it, e.g. "${joinArtifactPath(rel, "file.bin")}".`,
      );
    }
    try {
      return await writeAtomic(abs, body, this.#tmpDir);
    } catch (e) {
      throw mapWriteError(e, rel);
    }
  }

  /**
   * Upload a local file or folder, as MLflow's `log_artifact` / `log_artifacts` do: a file lands
   * at `destPath/<its name>`, a folder's contents land under `destPath` (each file atomically).
   * Symlinks in the local tree are followed (the user chose them); symlink loops are skipped.
   */
  async putLocal(localPath: string, destPath: string): Promise<void> {
    const dest = normalizeArtifactPath(destPath);
    const src = resolve(localPath);
    const st = await statOrNull(src);
    if (st === null)
      throw notFound(`Local path ${JSON.stringify(src)} does not exist; check the path to upload.`);
    if (st.isDirectory()) {
      await this.#putTree(src, dest, new Set());
    } else {
      await this.put(joinArtifactPath(dest, basename(src)), createReadStream(src));
    }
  }

  /** Upload the contents of `dir` under `dest`; `ancestors` holds real paths being walked. */
  async #putTree(dir: string, dest: string, ancestors: ReadonlySet<string>): Promise<void> {
    const real = await realpath(dir);
    if (ancestors.has(real)) return; // a symlink back to a folder being copied: a loop
    const walking = new Set([...ancestors, real]);
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const child = join(dir, entry.name);
      const childDest = joinArtifactPath(dest, normalizeArtifactPath(entry.name));
      const st = await statOrNull(child);
      if (st?.isDirectory()) await this.#putTree(child, childDest, walking);
      else if (st?.isFile()) await this.put(childDest, createReadStream(child));
      // dangling links, sockets and FIFOs are not artifacts: skipped
    }
  }

  /** A stream of the file's bytes; RESOURCE_DOES_NOT_EXIST when absent or a folder. */
  async get(path: string): Promise<Readable> {
    const { rel, abs } = await this.#locate(path);
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(abs, "r");
    } catch (e) {
      if (isMissing(e)) throw notFound(`Artifact ${JSON.stringify(rel)} does not exist in ${this.rootUri}.`);
      throw e;
    }
    if ((await handle.stat()).isDirectory()) {
      await handle.close();
      throw notFound(`Artifact ${JSON.stringify(rel)} is a folder, not a file; list it instead.`);
    }
    return handle.createReadStream();
  }

  /** Size and kind of one entry (the root is `{ path: "", isDir: true }`), or null when absent. */
  async stat(path: string): Promise<FileInfo | null> {
    const { rel, abs } = await this.#locate(path);
    const st = await statOrNull(abs);
    return st === null ? null : toFileInfo(rel, st);
  }

  /**
   * Direct children of a folder, sorted by path, with paths relative to the store root (as
   * MLflow's `list_artifacts` returns them). Empty when absent or a file. Symlinks leading out
   * of the store are left out.
   */
  async list(path = ""): Promise<FileInfo[]> {
    const { rel, abs, rootReal } = await this.#locate(path);
    let entries: Dirent[];
    try {
      entries = await readdir(abs, { withFileTypes: true });
    } catch (e) {
      if (isMissing(e)) return [];
      throw e;
    }
    const infos: FileInfo[] = [];
    for (const entry of entries) {
      const childRel = joinArtifactPath(rel, entry.name);
      // Plain children of a checked folder are inside; only symlinks need resolving.
      let childAbs = join(abs, entry.name);
      try {
        if (entry.isSymbolicLink()) childAbs = await resolveInside(rootReal, childRel);
      } catch (e) {
        if (isKeelError(e)) continue; // a symlink out of the store: not an artifact
        throw e;
      }
      const st = await statOrNull(childAbs);
      if (st !== null) infos.push(toFileInfo(childRel, st));
    }
    return infos.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * Copy an artifact to `localDest` exactly: a file becomes the file `localDest` (written
   * atomically), a folder's contents land in the folder `localDest`. RESOURCE_DOES_NOT_EXIST
   * when absent.
   */
  async download(path: string, localDest: string): Promise<void> {
    const info = await this.stat(path);
    if (info === null) {
      throw notFound(
        `Artifact ${JSON.stringify(normalizeArtifactPath(path))} does not exist in ${this.rootUri}.`,
      );
    }
    const dest = resolve(localDest);
    if (!info.isDir) {
      await writeAtomic(dest, await this.get(info.path), dirname(dest));
      return;
    }
    await mkdir(dest, { recursive: true });
    const prefix = info.path === "" ? 0 : info.path.length + 1;
    for (const child of await this.list(info.path)) {
      await this.download(child.path, join(dest, child.path.slice(prefix)));
    }
  }

  /**
   * Delete a file or folder recursively; no error when absent. A symlink inside the store is
   * removed itself, never what it points to. Deleting `''` empties the store.
   */
  async delete(path: string): Promise<void> {
    const { rel, abs } = await this.#locate(path);
    if (rel !== "") {
      await rm(abs, { recursive: true, force: true });
      return;
    }
    // Keep the root folder itself: its real path anchors every containment check.
    for (const name of await readdir(abs)) await rm(join(abs, name), { recursive: true, force: true });
  }

  /** Check `path` and find it under the root, creating the root on first use. */
  async #locate(path: string): Promise<Located> {
    const rel = normalizeArtifactPath(path);
    await mkdir(this.root, { recursive: true });
    const rootReal = await realpath(this.root);
    return { rel, abs: await resolveInside(rootReal, rel), rootReal };
  }
}

/** MLflow FileInfo from a stat result; folders carry no size. */
function toFileInfo(rel: string, st: Stats): FileInfo {
  return st.isDirectory() ? { path: rel, isDir: true } : { path: rel, isDir: false, fileSize: st.size };
}

/** `fs.stat` (following symlinks already checked to stay inside), or null when absent. */
async function statOrNull(p: string): Promise<Stats | null> {
  try {
    return await stat(p);
  } catch (e) {
    if (isMissing(e)) return null;
    throw e;
  }
}

/** Turn filesystem errors a caller can fix into INVALID_PARAMETER_VALUE naming the path. */
function mapWriteError(e: unknown, rel: string): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  const shown = JSON.stringify(rel);
  if (code === "ENOTDIR" || code === "EEXIST") {
    return invalidParam(
      `Cannot write artifact ${shown}: one of its parent folders is a file; choose another path.`,
    );
  }
  if (code === "EISDIR" || code === "ENOTEMPTY") {
    return invalidParam(`Cannot write artifact ${shown}: it is a folder; give a file path inside it.`);
  }
  return e;
}
