import { lstat, realpath } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { invalidParam } from "../errors.js";
import { isMissing } from "./fs-errors.js";

/** True when `child` is `root` itself or lies below it (both absolute, already real paths). */
export function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * Map a clean relative artifact path (see `normalizeArtifactPath`) to an absolute path under
 * `rootReal`, refusing any path that a symlink would lead out of the root.
 *
 * The real path of the deepest existing ancestor (or of the target itself when it exists) must
 * stay inside `rootReal`, so a symlink in the store pointing outside is never followed for
 * reading, writing, listing or deleting. A dangling symlink is refused too: writing through it
 * would create a file wherever it points. Races with a concurrent `ln -s` inside the store are
 * not covered; the store's own writers never create symlinks.
 *
 * @param rootReal - the store root, already passed through `fs.realpath`.
 * @param rel - a clean relative path, `''` for the root.
 * @returns the absolute path to operate on (under `rootReal`, symlinks inside left as they are).
 * @throws KeelError INVALID_PARAMETER_VALUE naming the path when it resolves outside the root.
 */
export async function resolveInside(rootReal: string, rel: string): Promise<string> {
  const target = rel === "" ? rootReal : join(rootReal, ...rel.split("/"));
  let probe = target;
  let retries = 0;
  for (;;) {
    let real: string;
    try {
      real = await realpath(probe);
    } catch (e) {
      if (!isMissing(e) && (e as NodeJS.ErrnoException).code !== "ELOOP") throw e;
      const kind = (e as NodeJS.ErrnoException).code === "ELOOP" ? "symlink" : await entryKind(probe);
      if (kind === "symlink") throw outside(rel, "passes through a symlink that points nowhere or loops");
      // Created between realpath and lstat (a concurrent writer's rename): resolve it again,
      // a bounded number of times so a path that keeps changing cannot spin forever.
      if (kind === "other" && retries++ < 3) continue;
      if (probe === rootReal) throw e;
      probe = dirname(probe);
      continue;
    }
    if (!isInside(rootReal, real))
      throw outside(rel, "resolves through a symlink to a place outside the store");
    return target;
  }
}

/** What `p` itself is, without following it: absent, a symlink, or anything else. */
async function entryKind(p: string): Promise<"absent" | "symlink" | "other"> {
  try {
    return (await lstat(p)).isSymbolicLink() ? "symlink" : "other";
  } catch (e) {
    if (isMissing(e)) return "absent";
    throw e;
  }
}

function outside(rel: string, why: string) {
  return invalidParam(
    `Artifact path ${JSON.stringify(rel)} ${why}; artifacts must stay inside the store root.`,
  );
}
