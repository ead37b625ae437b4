/** Shared setup of the search-run tests: seattle-weather files and readers of what a search tracked. */
import { join } from "node:path";
import { text } from "node:stream/consumers";
import type { LeaderboardRow } from "../../src/search/run/leaderboard.js";
import type { Run } from "../../src/store/entities.js";
import type { Tracker } from "../../src/track/tracker.js";
import { writeFromVega } from "../learn-train/helpers.js";

export { makeProject, type Project } from "../learn-train/helpers.js";

/** Seattle weather (5 classes) split by year: 2012-2014 to search on, 2015 to test the refit on. */
export async function weatherFiles(dir: string): Promise<{ train: string; test: string }> {
  const cols = `SELECT date, precipitation, temp_max, temp_min, wind, weather FROM {src}`;
  return {
    train: await writeFromVega(
      "seattle-weather.csv",
      `${cols} WHERE year(date) < 2015 ORDER BY date`,
      join(dir, "weather-train.parquet"),
    ),
    test: await writeFromVega(
      "seattle-weather.csv",
      `${cols} WHERE year(date) = 2015 ORDER BY date`,
      join(dir, "weather-test.parquet"),
    ),
  };
}

/** Child runs of `parentId`, oldest first. */
export async function childRuns(tracker: Tracker, parentId: string): Promise<Run[]> {
  const parent = await tracker.store.getRun(parentId);
  const page = await tracker.store.searchRuns({
    experimentIds: [parent.info.experimentId],
    filter: `tags.\`mlflow.parentRunId\` = '${parentId}'`,
    orderBy: ["attributes.start_time ASC"],
    maxResults: 1000,
  });
  return page.items;
}

/** Tag, param and latest-metric lookups of a run. */
export function runView(run: Run): {
  tag: (k: string) => string | undefined;
  param: (k: string) => string | undefined;
  metric: (k: string) => number | undefined;
} {
  return {
    tag: (k) => run.data.tags.find((t) => t.key === k)?.value,
    param: (k) => run.data.params.find((p) => p.key === k)?.value,
    metric: (k) => run.data.metrics.find((m) => m.key === k)?.value,
  };
}

/** A run artifact as text. */
export async function artifactText(tracker: Tracker, runId: string, path: string): Promise<string> {
  return text(await (await tracker.artifactsOf(runId)).get(path));
}

/** What must agree between two searches with the same seed: everything but run ids and timings. */
export function comparable(rows: readonly LeaderboardRow[]): unknown[] {
  return rows.map((r) => [r.rank, r.trial, r.model, r.params, r.budget, r.rung, r.status, r.mean, r.std]);
}
