/**
 * `GET /api/2.0/keel/monitor/checks`: the drift checks `keel monitor watch` tracked (runs tagged
 * `keel.command=monitor-watch`, with `drift_score.<feature>`, `drift.<feature>`, `dataset_drift`
 * and `drift_share` metrics), across experiments, oldest first, for the UI's drift heatmap.
 */
import { z } from "zod";
import { defineRoute, type Route } from "../route.js";
import { maxResults } from "../schemas.js";
import { toWireRun } from "../wire.js";
import { searchAllRuns } from "./ui-support.js";

/** The `keel.command` tag value of a tracked drift check. */
export const MONITOR_WATCH_COMMAND = "monitor-watch";

/** Monitoring routes. */
export const MONITORING_ROUTES: Route[] = [
  defineRoute({
    rpc: "listDriftChecks",
    method: "GET",
    path: "/monitor/checks",
    summary:
      "Tracked drift checks (runs tagged keel.command=monitor-watch), the newest `max_results` (default 500), oldest first.",
    request: z.object({ max_results: maxResults(5000).default(500) }),
    handler: async (req, { store }) => {
      const runs = await searchAllRuns(
        store,
        `tags.\`keel.command\` = '${MONITOR_WATCH_COMMAND}'`,
        ["attributes.start_time DESC"],
        req.max_results,
      );
      return { runs: runs.reverse().map(toWireRun) };
    },
  }),
];
