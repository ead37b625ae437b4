/**
 * `GET /api/2.0/keel/experiments/run-counts`: active runs per experiment, for the UI's experiment
 * list (MLflow has no count RPC). Counts page through the store's own search, so every store
 * answers the same way.
 */
import { z } from "zod";
import type { MetadataStore } from "../../store/metadata-store.js";
import { defineRoute, type Route } from "../route.js";
import { stringList } from "../schemas.js";

/** Largest page the store serves; a count needs one page per 50,000 runs. */
const PAGE = 50_000;

/** Active runs of one experiment. */
export async function countRuns(store: MetadataStore, experimentId: string): Promise<number> {
  let n = 0;
  let pageToken: string | undefined;
  do {
    const page = await store.searchRuns({ experimentIds: [experimentId], maxResults: PAGE, pageToken });
    n += page.items.length;
    pageToken = page.nextPageToken;
  } while (pageToken);
  return n;
}

/** Experiment statistics routes. */
export const EXPERIMENT_STATS_ROUTES: Route[] = [
  defineRoute({
    rpc: "countExperimentRuns",
    method: "GET",
    path: "/experiments/run-counts",
    summary:
      "Active runs per experiment: `{counts: [{experiment_id, runs}]}` for the given `experiment_ids`.",
    request: z.object({ experiment_ids: stringList.max(200) }),
    handler: async (req, { store }) => {
      const counts = [];
      for (const id of req.experiment_ids)
        counts.push({ experiment_id: id, runs: await countRuns(store, id) });
      return { counts };
    },
  }),
];
