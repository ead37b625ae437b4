/**
 * Putting a cached object back into the workspace. Preference order: a reflink (copy-on-write
 * clone: instant, and editing it never touches the cache), then a hard link when the project
 * asked for read-only links (`cache: {link: hardlink}`; the file stays read-only like the
 * object, so it cannot be edited in place), else a plain copy. The new file appears atomically
 * (temp name in the destination folder, then rename).
 */
import { randomUUID } from "node:crypto";
import { constants } from "node:fs";
import { chmod, copyFile, link, mkdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { LinkMode } from "./workspace.js";

/** How a file was restored. */
export type Materialization = "reflink" | "hardlink" | "copy";

/** Mode of restored copies and reflinks: ordinary, editable files. */
const WORKSPACE_FILE_MODE = 0o644;

/** Errors meaning "this filesystem cannot clone or link here"; anything else is real. */
const UNSUPPORTED = new Set([
  "ENOTSUP",
  "EOPNOTSUPP",
  "EXDEV",
  "EINVAL",
  "ENOSYS",
  "EPERM",
  "EMLINK",
  "ENOTTY",
]);

/** Restore `objectPath` at `dest` (replacing whatever is there) and say how. */
export async function materialize(
  objectPath: string,
  dest: string,
  mode: LinkMode,
): Promise<Materialization> {
  await mkdir(dirname(dest), { recursive: true });
  const tmp = join(dirname(dest), `.${basename(dest)}.keel-${process.pid}-${randomUUID()}.tmp`);
  try {
    const how = await place(objectPath, tmp, mode);
    await rename(tmp, dest);
    return how;
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

async function place(objectPath: string, tmp: string, mode: LinkMode): Promise<Materialization> {
  try {
    await copyFile(objectPath, tmp, constants.COPYFILE_FICLONE_FORCE);
    await chmod(tmp, WORKSPACE_FILE_MODE);
    return "reflink";
  } catch (e) {
    if (!isUnsupported(e)) throw e;
    await rm(tmp, { force: true });
  }
  if (mode === "hardlink") {
    try {
      // The object is 0444, so the linked file is read-only: an edit fails instead of corrupting the cache.
      await link(objectPath, tmp);
      return "hardlink";
    } catch (e) {
      if (!isUnsupported(e)) throw e;
    }
  }
  await copyFile(objectPath, tmp);
  await chmod(tmp, WORKSPACE_FILE_MODE);
  return "copy";
}

function isUnsupported(e: unknown): boolean {
  return UNSUPPORTED.has((e as NodeJS.ErrnoException | undefined)?.code ?? "");
}
