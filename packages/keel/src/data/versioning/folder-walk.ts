/**
 * Listing the regular files of a tracked folder, in the byte order of their UTF-8 paths (the
 * order of the folder manifest, so a digest never depends on the platform's collation).
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { invalidParam } from "../../errors.js";
import { explainFsError } from "./fs-failure.js";

/** A file inside a tracked folder. */
export interface FolderFile {
  /** Path relative to the folder, `/`-separated. */
  rel: string;
  /** Absolute path. */
  abs: string;
}

/**
 * Every regular file below `root`, sorted by {@link compareUtf8}. Symlinks and special files are
 * refused (a link's target is not part of the folder's content), and so are names holding a tab
 * or newline (they would break the manifest's line format).
 *
 * @throws KeelError INVALID_PARAMETER_VALUE naming the offending path.
 */
export async function listFolderFiles(root: string): Promise<FolderFile[]> {
  const out: FolderFile[] = [];
  const walk = async (abs: string, rel: string): Promise<void> => {
    const entries = await readdir(abs, { withFileTypes: true }).catch((e: unknown) => {
      throw explainFsError(e, abs);
    });
    for (const entry of entries) {
      const childRel = rel === "" ? entry.name : `${rel}/${entry.name}`;
      const childAbs = join(abs, entry.name);
      if (/[\t\n\r]/.test(entry.name)) {
        throw invalidParam(
          `${childAbs}: file names with tabs or newlines cannot be tracked; rename the file.`,
        );
      }
      if (entry.isDirectory()) await walk(childAbs, childRel);
      else if (entry.isFile()) out.push({ rel: childRel, abs: childAbs });
      else {
        throw invalidParam(
          `${childAbs} is a ${entry.isSymbolicLink() ? "symlink" : "special file"}; tracked folders may hold only regular files and folders. Replace it with a copy or move it out.`,
        );
      }
    }
  };
  await walk(root, "");
  return out.sort((a, b) => compareUtf8(a.rel, b.rel));
}

/** Compare strings in UTF-8 byte order (UTF-16 order differs only for astral characters). */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return utf8Rank(x) - utf8Rank(y);
  }
  return a.length - b.length;
}

/** Surrogates (astral code points, 4 UTF-8 bytes) sort after U+E000..U+FFFF (3 bytes). */
function utf8Rank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}
