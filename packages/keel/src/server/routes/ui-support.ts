/**
 * Helpers of the native routes the web UI reads: the project the server runs in (data cache,
 * prediction logs, keel.yaml) and run searches across every experiment.
 */
import { findProjectRoot } from "../../project/keel-config.js";
import type { Run } from "../../store/entities.js";
import type { MetadataStore } from "../../store/metadata-store.js";

/**
 * The project folder `keel server` serves: keel.yaml upwards from the server's working
 * directory, else that directory (what `keel server` itself resolves its defaults from).
 */
export function serverProjectRoot(): string {
  return findProjectRoot(process.cwd()) ?? process.cwd();
}

/** Ids of every active experiment. */
export async function allExperimentIds(store: MetadataStore): Promise<string[]> {
  const ids: string[] = [];
  let pageToken: string | undefined;
  do {
    const page = await store.searchExperiments({ maxResults: 1000, pageToken });
    ids.push(...page.items.map((e) => e.experimentId));
    pageToken = page.nextPageToken;
  } while (pageToken);
  return ids;
}

/** Runs matching `filter` in any experiment, in `orderBy` order, at most `maxResults`. */
export async function searchAllRuns(
  store: MetadataStore,
  filter: string,
  orderBy: string[],
  maxResults: number,
): Promise<Run[]> {
  const experimentIds = await allExperimentIds(store);
  if (experimentIds.length === 0) return [];
  const page = await store.searchRuns({ experimentIds, filter, orderBy, maxResults });
  return page.items;
}
