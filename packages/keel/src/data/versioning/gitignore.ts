/**
 * Keeping tracked data out of git: `keel data add` appends `/path/to/data` to the project's
 * .gitignore once (an exact line already present means nothing is written).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeAtomic } from "../../artifacts/atomic-write.js";
import { isMissing } from "../../artifacts/fs-errors.js";

/** The .gitignore line that ignores exactly the root-relative path `rel`. */
export function gitignoreLine(rel: string): string {
  // Escape glob characters and a leading '#'/'!' so the line matches only this path.
  const escaped = rel
    .replace(/[\\*?[\]]/g, "\\$&")
    .replace(/^([#!])/, "\\$1")
    .replace(/ $/, "\\ ");
  return `/${escaped}`;
}

/**
 * Make sure the project's .gitignore (at `root`) ignores `rel`.
 * @returns true when the line was added, false when it was already there.
 */
export async function ensureGitignored(root: string, rel: string, tmpDir: string): Promise<boolean> {
  const file = join(root, ".gitignore");
  let text = "";
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
  const line = gitignoreLine(rel);
  if (text.split(/\r?\n/).some((l) => l.trim() === line)) return false;
  const sep = text === "" || text.endsWith("\n") ? "" : "\n";
  await writeAtomic(file, Buffer.from(`${text}${sep}${line}\n`), tmpDir);
  return true;
}
