import { randomBytes } from "node:crypto";
import { mkdir, rename, rm } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";

/**
 * Runs `write(tempPath)` and renames the temp file onto `outPath` only when it succeeds, so a
 * reader never sees half a file and a failed write leaves the old file in place. The temp
 * file sits in the same folder (rename is atomic only within a file system) and keeps the
 * extension (writers pick Arrow's file or stream format from it).
 */
export async function writeAtomically<T>(
  outPath: string,
  write: (tempPath: string) => Promise<T>,
): Promise<T> {
  const dir = dirname(outPath);
  await mkdir(dir, { recursive: true });
  const ext = extname(outPath);
  const temp = join(
    dir,
    `.${basename(outPath, ext)}.keel-tmp-${process.pid}-${randomBytes(4).toString("hex")}${ext}`,
  );
  try {
    const result = await write(temp);
    await rename(temp, outPath);
    return result;
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Writes a text report (HTML, JSON) to `outPath` atomically, creating its folder. */
export async function writeTextFile(outPath: string, text: string): Promise<void> {
  const { writeFile } = await import("node:fs/promises");
  await writeAtomically(outPath, (temp) => writeFile(temp, text, "utf8"));
}
