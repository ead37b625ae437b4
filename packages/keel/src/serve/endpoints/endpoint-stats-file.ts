/**
 * The live figures a running `keel endpoint serve` publishes for `keel endpoint status`: one JSON
 * file beside the prediction log, rewritten atomically (temp file + rename) every poll.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { VersionStatsSnapshot } from "./version-stats.js";

/** File name inside the endpoint's prediction log folder. */
export const STATS_FILE = "endpoint-stats.json";

/** What the file holds. */
export interface PublishedStats {
  /** Server process id. */
  readonly pid: number;
  /** Server URL. */
  readonly url: string;
  /** When written (epoch ms). */
  readonly updatedAt: number;
  /** Endpoint revision the server has applied. */
  readonly revision: number;
  /** Figures per hosted version, keyed `model:version`. */
  readonly versions: Readonly<Record<string, VersionStatsSnapshot>>;
}

/** Writes `stats` to `dir` atomically. */
export async function writeStatsFile(dir: string, stats: PublishedStats): Promise<void> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, STATS_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(stats));
  await rename(tmp, file);
}

/** The last published figures in `dir`, or undefined when no server has published any. */
export async function readStatsFile(dir: string): Promise<PublishedStats | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, STATS_FILE), "utf8")) as PublishedStats;
  } catch {
    return undefined;
  }
}
