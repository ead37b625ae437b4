/**
 * Paths in stage definitions: written relative to the stage's `wdir` (DVC's rule), stored
 * root-relative and `/`-separated, never outside the project nor inside `.keel/`.
 */
import { posix } from "node:path";
import { KEEL_DIR } from "../project/keel-config.js";

/**
 * Resolve `p` (relative to root-relative folder `wdir`) to a clean root-relative path.
 * @throws Error (message only; the loader adds where) for absolute paths, escapes and `.keel/`.
 */
export function stagePath(wdir: string, p: string): string {
  if (p.trim() === "") throw new Error("empty path");
  if (p.includes("\0")) throw new Error(`path ${JSON.stringify(p)} contains a NUL byte`);
  if (posix.isAbsolute(p) || /^[A-Za-z]:[\\/]/.test(p)) {
    throw new Error(`'${p}' is absolute; write paths relative to the project (or the stage's wdir)`);
  }
  const joined = posix.normalize(posix.join(wdir, p.replaceAll("\\", "/"))).replace(/\/+$/, "");
  if (joined === ".." || joined.startsWith("../")) throw new Error(`'${p}' is outside the project`);
  if (joined === "." || joined === "")
    throw new Error(`'${p}' is the project root itself; name a file or folder inside it`);
  if (joined === KEEL_DIR || joined.startsWith(`${KEEL_DIR}/`))
    throw new Error(`'${p}' is inside ${KEEL_DIR}/, Keel's own state`);
  return joined;
}

/** True when `a` and `b` are the same path or one lies inside the other. */
export function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}
