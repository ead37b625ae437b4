/**
 * Where pipeline files are read from: the workspace, or a git revision (`git show REV:path`), so
 * the same loader gives the pipeline as it is now and as it was at HEAD~1 (for `metrics diff`
 * and `params diff`).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { isMissing } from "../artifacts/fs-errors.js";
import { readAtRevision } from "../data/versioning/git-show.js";
import { isKeelError } from "../errors.js";

/** Reads root-relative files of one version of the project. */
export interface SourceReader {
  /** What this reader shows: `workspace` or the git revision. */
  readonly label: string;
  /** The git revision, or null for the workspace. */
  readonly rev: string | null;
  /** The text of root-relative `rel`, or null when it does not exist there. */
  read(rel: string): Promise<string | null>;
}

/** The files as they are in the workspace under `root`. */
export function workspaceReader(root: string): SourceReader {
  return {
    label: "workspace",
    rev: null,
    read: async (rel) => {
      try {
        return await readFile(join(root, ...rel.split("/")), "utf8");
      } catch (e) {
        if (isMissing(e)) return null;
        throw e;
      }
    },
  };
}

/**
 * The files as committed at git revision `rev` of the repository holding `root`. A path the
 * revision does not have reads as null; an unknown revision is an error at the first read.
 */
export function gitReader(root: string, rev: string): SourceReader {
  let revChecked: Promise<void> | undefined;
  return {
    label: rev,
    rev,
    read: async (rel) => {
      // One read of a file every commit has tells "no such revision" from "no such path".
      revChecked ??= readAtRevision(root, rev, "").then(
        () => undefined,
        (e: unknown) => {
          if (isKeelError(e))
            e.message = e.message.replace(/^Cannot read {1,2}at git revision/, "Cannot read git revision");
          throw e;
        },
      );
      await revChecked;
      try {
        return await readAtRevision(root, rev, rel);
      } catch (e) {
        if (isKeelError(e) && e.code === "RESOURCE_DOES_NOT_EXIST") return null;
        throw e;
      }
    },
  };
}
