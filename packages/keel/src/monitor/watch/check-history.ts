/**
 * The history of a watch, read back from the tracking store: every check run of the endpoint's
 * monitor experiment in a time range, oldest first, with its metrics and episode tag.
 */
import type { Run } from "../../store/entities.js";
import type { MetadataStore } from "../../store/metadata-store.js";
import { WATCH_COMMAND, WATCH_TAGS, watchExperiment } from "./watch-config.js";

/** One recorded check. */
export interface CheckRecord {
  /** Run id. */
  readonly runId: string;
  /** Check time (run start, epoch ms). */
  readonly time: number;
  /** FINISHED, FAILED... */
  readonly status: string;
  /** `drift`, `no_drift`, `no_data`, or null for a failed check. */
  readonly verdict: string | null;
  /** Episode number while drifting, null otherwise. */
  readonly episode: number | null;
  /** Latest value of every metric. */
  readonly metrics: Readonly<Record<string, number>>;
}

/** A drift episode reconstructed from the checks. */
export interface EpisodeRecord {
  /** Episode number. */
  readonly number: number;
  /** First drifting check. */
  readonly start: number;
  /** Last drifting check. */
  readonly lastDrift: number;
  /** The check that ended it (first without drift), null while ongoing in the range. */
  readonly end: number | null;
  /** Checks in it. */
  readonly checks: number;
}

/** What {@link readCheckHistory} returns. */
export interface CheckHistory {
  /** Endpoint. */
  readonly endpoint: string;
  /** Experiment read. */
  readonly experiment: string;
  /** Checks in time order. */
  readonly checks: readonly CheckRecord[];
  /** Episodes seen in the range. */
  readonly episodes: readonly EpisodeRecord[];
}

function toRecord(run: Run): CheckRecord {
  const tag = (k: string) => run.data.tags.find((t) => t.key === k)?.value;
  const ep = tag(WATCH_TAGS.episode);
  return {
    runId: run.info.runId,
    time: run.info.startTime,
    status: run.info.status,
    verdict: tag(WATCH_TAGS.verdict) ?? null,
    episode: ep === undefined || ep === "none" ? null : Number(ep),
    metrics: Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value])),
  };
}

/** Episodes from the checks' episode tags; an episode ends at its first non-drifting check. */
export function episodesOf(checks: readonly CheckRecord[]): EpisodeRecord[] {
  const out: { number: number; start: number; lastDrift: number; end: number | null; checks: number }[] = [];
  for (const c of checks) {
    const open = out[out.length - 1];
    if (c.episode !== null) {
      if (open?.number === c.episode && open.end === null) {
        open.lastDrift = c.time;
        open.checks++;
      } else out.push({ number: c.episode, start: c.time, lastDrift: c.time, end: null, checks: 1 });
    } else if (open !== undefined && open.end === null && c.verdict === "no_drift") open.end = c.time;
  }
  return out;
}

/**
 * Check runs of `endpoint` started in `[from, to]` (epoch ms, either open), oldest first.
 * An endpoint never watched has no history (empty, not an error).
 */
export async function readCheckHistory(
  store: MetadataStore,
  endpoint: string,
  range: { from?: number; to?: number; experiment?: string } = {},
): Promise<CheckHistory> {
  const experiment = watchExperiment({ endpoint, experiment: range.experiment });
  const found = await store.getExperimentByName(experiment);
  if (found === null) return { endpoint, experiment, checks: [], episodes: [] };
  const experimentId = found.experimentId;
  const clauses = [`tags."${WATCH_TAGS.command}" = '${WATCH_COMMAND}'`];
  if (range.from !== undefined) clauses.push(`attributes.start_time >= ${Math.floor(range.from)}`);
  if (range.to !== undefined) clauses.push(`attributes.start_time <= ${Math.ceil(range.to)}`);
  const runs: Run[] = [];
  let pageToken: string | undefined;
  do {
    const page = await store.searchRuns({
      experimentIds: [experimentId],
      filter: clauses.join(" and "),
      orderBy: ["attributes.start_time ASC"],
      maxResults: 1000,
      pageToken,
    });
    runs.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined);
  const checks = runs.map(toRecord);
  return { endpoint, experiment, checks, episodes: episodesOf(checks) };
}
