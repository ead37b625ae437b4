import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { DataSession } from "../engine/duckdb-session.js";
import { ROW_COLUMN, SPLIT_COLUMN } from "./split-assignment.js";
import { SPLIT_NAMES, type SplitName } from "./split-config.js";

/** A written split file. */
export interface WrittenSplit {
  /** Split name. */
  readonly name: SplitName;
  /** Path of the Parquet file. */
  readonly path: string;
  /** sha256 of its bytes (the same seed and data give the same digest). */
  readonly sha256: string;
}

/**
 * Writes `<name>.parquet` into `outDir` for each of `names`, rows in file order, without the
 * helper columns. The files are written into a temp folder inside `outDir` and renamed into
 * place, so a reader never sees a partial file and a failure leaves the old files as they were.
 * A `valid.parquet` left by an earlier split is removed when this split has no valid part, so the
 * folder always describes one split.
 * @returns the written files, and whether a stale valid.parquet was removed.
 */
export async function writeSplits(
  session: DataSession,
  table: string,
  names: readonly SplitName[],
  outDir: string,
): Promise<{ files: WrittenSplit[]; removedStale: boolean }> {
  await mkdir(outDir, { recursive: true });
  const tmp = join(outDir, `.keel-split-${randomUUID()}`);
  await mkdir(tmp);
  try {
    const staged: WrittenSplit[] = [];
    for (const name of names) {
      const path = join(tmp, `${name}.parquet`);
      await session.writeRelation(
        `SELECT * EXCLUDE (${ROW_COLUMN}, ${SPLIT_COLUMN}) FROM ${table} WHERE ${SPLIT_COLUMN} = '${name}' ORDER BY ${ROW_COLUMN}`,
        path,
        { format: "parquet" },
      );
      staged.push({ name, path, sha256: await sha256File(path) });
    }
    const files: WrittenSplit[] = [];
    for (const file of staged) {
      const dest = join(outDir, `${file.name}.parquet`);
      await rename(file.path, dest);
      files.push({ ...file, path: dest });
    }
    const stale = SPLIT_NAMES.filter((n) => !names.includes(n)).map((n) => join(outDir, `${n}.parquet`));
    let removedStale = false;
    for (const path of stale) {
      await rm(path).then(
        () => {
          removedStale = true;
        },
        (e: NodeJS.ErrnoException) => {
          if (e.code !== "ENOENT") throw e;
        },
      );
    }
    return { files, removedStale };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Hex sha256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
