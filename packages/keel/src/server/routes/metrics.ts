/** MLflow's metric history RPCs (metrics/get-history, metrics/get-history-bulk-interval). */
import { z } from "zod";
import { invalidParam } from "../../errors.js";
import type { Metric } from "../../store/entities.js";
import type { TrackingStore } from "../../store/tracking-store.js";
import { defineRoute, type Route } from "../route.js";
import { sampleSteps } from "../sample-steps.js";
import { int64, pageToken, requiredString, stringList } from "../schemas.js";
import { toWireMetric, withPageToken } from "../wire.js";

/** MLflow's caps for the bulk-interval endpoint. */
const MAX_RUNS_PER_BULK_REQUEST = 100;
const MAX_RESULTS_PER_RUN = 2500;

/** Every logged value of one metric of one run, across the store's pages. */
async function fullHistory(store: TrackingStore, runId: string, key: string): Promise<Metric[]> {
  const out: Metric[] = [];
  let token: string | undefined;
  do {
    const page = await store.getMetricHistory(runId, key, token ? { pageToken: token } : {});
    out.push(...page.items);
    token = page.nextPageToken;
  } while (token);
  return out;
}

/** Metric history routes. */
export const METRIC_ROUTES: Route[] = [
  defineRoute({
    rpc: "getMetricHistory",
    method: "GET",
    path: "/metrics/get-history",
    summary: "Every logged value of one metric of a run, by step then timestamp.",
    request: z.object({
      run_id: requiredString,
      metric_key: requiredString,
      max_results: z.int().min(1).optional(),
      page_token: pageToken.optional(),
    }),
    handler: async (req, { store }) => {
      const page = await store.getMetricHistory(req.run_id, req.metric_key, {
        ...(req.max_results === undefined ? {} : { maxResults: req.max_results }),
        ...(req.page_token ? { pageToken: req.page_token } : {}),
      });
      return withPageToken({ metrics: page.items.map(toWireMetric) }, page.nextPageToken);
    },
  }),
  defineRoute({
    rpc: "getMetricHistoryBulkInterval",
    method: "GET",
    path: "/metrics/get-history-bulk-interval",
    summary: "Sampled history of one metric across up to 100 runs (for charts).",
    request: z.object({
      run_ids: stringList.min(1).max(MAX_RUNS_PER_BULK_REQUEST),
      metric_key: requiredString,
      start_step: int64.optional(),
      end_step: int64.optional(),
      max_results: z.int().min(1).max(MAX_RESULTS_PER_RUN).default(MAX_RESULTS_PER_RUN),
    }),
    handler: async (req, { store }) => {
      const { start_step: start, end_step: end } = req;
      if ((start === undefined) !== (end === undefined)) {
        throw invalidParam("If either start_step or end_step is specified, both must be specified.");
      }
      if (start !== undefined && end !== undefined && start > end) {
        throw invalidParam(
          `end_step must be greater than start_step. Found start_step=${start} and end_step=${end}.`,
        );
      }
      const histories = await Promise.all(req.run_ids.map((id) => fullHistory(store, id, req.metric_key)));
      const range = start === undefined || end === undefined ? undefined : { start, end };
      const steps = new Set(
        sampleSteps(
          histories.map((h) => h.map((m) => m.step)),
          range,
          req.max_results,
        ),
      );
      const metrics = histories.flatMap((history, i) =>
        history
          .filter((m) => steps.has(m.step))
          .sort((a, b) => a.step - b.step || a.timestamp - b.timestamp)
          .map((m) => ({ ...toWireMetric(m), run_id: req.run_ids[i]! })),
      );
      return { metrics };
    },
  }),
];
