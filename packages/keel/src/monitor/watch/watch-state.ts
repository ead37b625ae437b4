/**
 * What a watcher remembers between checks and across restarts: the drift episode, the concept
 * detectors of every model version, and the cursor over feedback already fed to them. Kept in
 * `.keel/monitor/<endpoint>/watch-state.json`, rewritten atomically after every step that
 * matters (temp file + rename), and attached to each check run as an artifact.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { writeAtomically } from "../../data/engine/atomic-output.js";
import { KeelError } from "../../errors.js";
import type { DetectorSnapshot } from "../detectors/drift-detector.js";

/** The current (or last) drift episode. */
export interface EpisodeState {
  /** Episode number, 1 for the endpoint's first. */
  number: number;
  /** True until a check shows no drift. */
  active: boolean;
  /** Time of the check that opened it (epoch ms). */
  startedAt: number;
  /** Run id of the check that opened it. */
  startRunId: string;
  /** Time of the check that closed it, when closed. */
  endedAt: number | null;
  /** Whether the alert was sent (to every webhook, successfully or after its last retry). */
  alerted: boolean;
  /** Whether the `--on-drift` command ran. */
  commandRan: boolean;
}

/** The concept-drift detector of one model version. */
export interface VersionDetectorState {
  /** The detector's `toJSON()`. */
  snapshot: DetectorSnapshot;
  /** Values fed so far (the index of the next one). */
  n: number;
  /** Stream indices (0-based, over all values fed) where a drift fired. */
  drifts: number[];
  /** Index of the last drift or warning, -1 when none: concept drift stays active until the
   * detector has taken `recovery` values after it without either. */
  lastAlarm: number;
  /** Index of the last drift, -1 when none. */
  lastDrift: number;
}

/** Everything a watcher persists. */
export interface WatchState {
  /** Format version. */
  version: 1;
  /** Endpoint watched. */
  endpoint: string;
  /** Checks recorded so far (the next check's step). */
  checks: number;
  /** Episodes opened so far. */
  episodes: number;
  /** The current or last episode. */
  episode: EpisodeState | null;
  /** Detector per model version label. */
  detectors: Record<string, VersionDetectorState>;
  /** Feedback cursor: label times up to here (epoch ms) were fed ... */
  labelCursor: number;
  /** ... except these (request_id/row key, label time) within the settle lag of the cursor. */
  recentKeys: [string, number][];
}

const EpisodeSchema = z.object({
  number: z.number().int().min(1),
  active: z.boolean(),
  startedAt: z.number(),
  startRunId: z.string(),
  endedAt: z.number().nullable(),
  alerted: z.boolean(),
  commandRan: z.boolean(),
});

const StateSchema = z.object({
  version: z.literal(1),
  endpoint: z.string(),
  checks: z.number().int().min(0),
  episodes: z.number().int().min(0),
  episode: EpisodeSchema.nullable(),
  detectors: z.record(
    z.string(),
    z.object({
      snapshot: z.object({
        type: z.string(),
        version: z.literal(1),
        params: z.record(z.string(), z.unknown()),
        state: z.record(z.string(), z.unknown()),
      }),
      n: z.number().int().min(0),
      drifts: z.array(z.number().int()),
      lastAlarm: z.number().int(),
      lastDrift: z.number().int(),
    }),
  ),
  labelCursor: z.number(),
  recentKeys: z.array(z.tuple([z.string(), z.number()])),
});

/** The state file's name inside the endpoint's monitor folder. */
export const WATCH_STATE_FILE = "watch-state.json";

/** `<project>/.keel/monitor/<endpoint>/`, the endpoint name made safe as a folder name. */
export function monitorDir(projectRoot: string, endpoint: string): string {
  return join(projectRoot, ".keel", "monitor", endpoint.replace(/[^\w.-]/g, "_"));
}

/** A fresh state: no check, no episode, no detector. */
export function initialWatchState(endpoint: string): WatchState {
  return {
    version: 1,
    endpoint,
    checks: 0,
    episodes: 0,
    episode: null,
    detectors: {},
    labelCursor: Number.NEGATIVE_INFINITY,
    recentKeys: [],
  };
}

// JSON has no -Infinity: the "nothing fed yet" cursor is written as null.
type Stored = Omit<WatchState, "labelCursor"> & { labelCursor: number | null };

/**
 * The state saved in `dir`, or a fresh one when there is none.
 * @throws KeelError INVALID_STATE when the file is not a watch state (names the file and the fix).
 */
export async function loadWatchState(dir: string, endpoint: string): Promise<WatchState> {
  const file = join(dir, WATCH_STATE_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return initialWatchState(endpoint);
    throw e;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
    if (raw !== null && typeof raw === "object" && (raw as Stored).labelCursor === null)
      (raw as Stored).labelCursor = Number.NEGATIVE_INFINITY;
  } catch {
    raw = undefined;
  }
  const parsed = StateSchema.safeParse(raw);
  if (!parsed.success) {
    throw new KeelError(
      "INVALID_STATE",
      `${file} is not a valid watch state (${parsed.error.issues[0]?.message ?? "not JSON"}); move it away to start the watch afresh`,
    );
  }
  if (parsed.data.endpoint !== endpoint) {
    throw new KeelError(
      "INVALID_STATE",
      `${file} belongs to endpoint '${parsed.data.endpoint}', not '${endpoint}'`,
    );
  }
  return parsed.data as WatchState;
}

/** The state as the JSON text {@link loadWatchState} reads. */
export function watchStateJson(state: WatchState): string {
  const stored: Stored = {
    ...state,
    labelCursor: Number.isFinite(state.labelCursor) ? state.labelCursor : null,
  };
  return `${JSON.stringify(stored, null, 1)}\n`;
}

/** Writes the state to `dir` atomically (a crash leaves the previous state whole). */
export async function saveWatchState(dir: string, state: WatchState): Promise<void> {
  await writeAtomically(join(dir, WATCH_STATE_FILE), (tmp) => writeFile(tmp, watchStateJson(state)));
}
