/** MLflow's run RPCs (service.proto `MlflowService`, runs/*). */
import { z } from "zod";
import { invalidParam } from "../../errors.js";
import { RUN_STATUSES } from "../../store/entities.js";
import { batchTooLargeMessage, LIMITS } from "../limits.js";
import { appendLoggedModel, LOGGED_MODELS_TAG } from "../logged-model-history.js";
import { defineRoute, type Route } from "../route.js";
import {
  double,
  int64,
  keyValue,
  maxResults,
  pageToken,
  requiredString,
  stringList,
  toViewType,
  viewType,
} from "../schemas.js";
import { fromWireDouble, toWireRun, toWireRunInfo, withPageToken } from "../wire.js";

/** MLflow's system tags that carry a run's name and parent. */
const RUN_NAME_TAG = "mlflow.runName";
const PARENT_RUN_TAG = "mlflow.parentRunId";

const runId = z.object({ run_id: requiredString });

const metric = z.object({ key: requiredString, value: double, timestamp: int64, step: int64.default(0) });

const datasetInput = z.object({
  tags: z.array(keyValue).default([]),
  dataset: z.object({
    name: requiredString,
    digest: requiredString,
    source_type: requiredString,
    source: requiredString,
    schema: z.string().optional(),
    profile: z.string().optional(),
    /** Keel extension: the dataset's `name@version` number. */
    version: int64.optional(),
  }),
});

/** A wire metric as the store's entity. */
function toMetric(m: z.output<typeof metric>) {
  return { key: m.key, value: fromWireDouble(m.value), timestamp: m.timestamp, step: m.step };
}

/** Run routes. */
export const RUN_ROUTES: Route[] = [
  defineRoute({
    rpc: "createRun",
    method: "POST",
    path: "/runs/create",
    summary: "Create a RUNNING run in an experiment.",
    request: z.object({
      experiment_id: requiredString,
      user_id: z.string().optional(),
      run_name: z.string().optional(),
      start_time: int64.optional(),
      tags: z.array(keyValue).default([]),
    }),
    handler: async (req, { store }) => {
      const tagValue = (key: string) => req.tags.find((t) => t.key === key)?.value || undefined;
      const run = await store.createRun({
        experimentId: req.experiment_id,
        userId: req.user_id || undefined,
        startTime: req.start_time,
        runName: req.run_name || tagValue(RUN_NAME_TAG),
        tags: req.tags,
        parentRunId: tagValue(PARENT_RUN_TAG),
      });
      return { run: toWireRun(run) };
    },
  }),
  defineRoute({
    rpc: "getRun",
    method: "GET",
    path: "/runs/get",
    summary: "Get a run: info, latest metrics, params, tags and dataset inputs.",
    request: runId,
    handler: async (req, { store }) => ({ run: toWireRun(await store.getRun(req.run_id)) }),
  }),
  defineRoute({
    rpc: "updateRun",
    method: "POST",
    path: "/runs/update",
    summary: "Change a run's status, end time or name.",
    request: z.object({
      run_id: requiredString,
      status: z.enum(RUN_STATUSES).optional(),
      end_time: int64.optional(),
      run_name: z.string().optional(),
    }),
    handler: async (req, { store }) => {
      const info = await store.updateRun(req.run_id, {
        ...(req.status === undefined ? {} : { status: req.status }),
        ...(req.end_time === undefined ? {} : { endTime: req.end_time }),
        ...(req.run_name ? { runName: req.run_name } : {}),
      });
      return { run_info: toWireRunInfo(info) };
    },
  }),
  defineRoute({
    rpc: "deleteRun",
    method: "POST",
    path: "/runs/delete",
    summary: "Soft-delete a run.",
    request: runId,
    handler: async (req, { store }) => {
      await store.deleteRun(req.run_id);
      return {};
    },
  }),
  defineRoute({
    rpc: "restoreRun",
    method: "POST",
    path: "/runs/restore",
    summary: "Restore a deleted run.",
    request: runId,
    handler: async (req, { store }) => {
      await store.restoreRun(req.run_id);
      return {};
    },
  }),
  defineRoute({
    rpc: "logMetric",
    method: "POST",
    path: "/runs/log-metric",
    summary: "Log one metric value (metric history is append-only).",
    request: runId.extend(metric.shape),
    handler: async (req, { store }) => {
      await store.logBatch(req.run_id, { metrics: [toMetric(req)], params: [], tags: [] });
      return {};
    },
  }),
  defineRoute({
    rpc: "logParam",
    method: "POST",
    path: "/runs/log-parameter",
    summary: "Log a param; params are write-once.",
    request: z.object({ run_id: requiredString, key: requiredString, value: z.string().default("") }),
    handler: async (req, { store }) => {
      await store.logBatch(req.run_id, {
        metrics: [],
        params: [{ key: req.key, value: req.value }],
        tags: [],
      });
      return {};
    },
  }),
  defineRoute({
    rpc: "setTag",
    method: "POST",
    path: "/runs/set-tag",
    summary: "Set (overwrite) a run tag.",
    request: z.object({ run_id: requiredString, key: requiredString, value: z.string().default("") }),
    handler: async (req, { store }) => {
      await store.logBatch(req.run_id, {
        metrics: [],
        params: [],
        tags: [{ key: req.key, value: req.value }],
      });
      return {};
    },
  }),
  defineRoute({
    rpc: "deleteTag",
    method: "POST",
    path: "/runs/delete-tag",
    summary: "Delete a run tag.",
    request: z.object({ run_id: requiredString, key: requiredString }),
    handler: async (req, { store }) => {
      await store.deleteTag(req.run_id, req.key);
      return {};
    },
  }),
  defineRoute({
    rpc: "logBatch",
    method: "POST",
    path: "/runs/log-batch",
    summary: "Log metrics, params and tags atomically (at most 1000 metrics, 100 params, 100 tags, 1 MB).",
    bodyLimit: LIMITS.batchRequestBytes,
    tooLarge: (size) => invalidParam(batchTooLargeMessage(size)),
    request: z.object({
      run_id: requiredString,
      metrics: z.array(metric).default([]),
      params: z.array(keyValue).default([]),
      tags: z.array(keyValue).default([]),
    }),
    handler: async (req, { store }) => {
      await store.logBatch(req.run_id, {
        metrics: req.metrics.map(toMetric),
        params: req.params,
        tags: req.tags,
      });
      return {};
    },
  }),
  defineRoute({
    rpc: "logModel",
    method: "POST",
    path: "/runs/log-model",
    summary: "Record a logged model (MLflow 2.x) in the run tag mlflow.log-model.history.",
    request: z.object({ run_id: requiredString, model_json: requiredString }),
    handler: async (req, { store }) => {
      const run = await store.getRun(req.run_id);
      const previous = run.data.tags.find((t) => t.key === LOGGED_MODELS_TAG)?.value;
      const value = appendLoggedModel(previous, req.model_json);
      await store.logBatch(req.run_id, { tags: [{ key: LOGGED_MODELS_TAG, value }] });
      return {};
    },
  }),
  defineRoute({
    rpc: "logInputs",
    method: "POST",
    path: "/runs/log-inputs",
    summary: "Record the datasets a run used.",
    request: z.object({ run_id: requiredString, datasets: z.array(datasetInput).default([]) }),
    handler: async (req, { store }) => {
      const inputs = req.datasets.map((d) => {
        const { source_type, ...rest } = d.dataset;
        return { tags: d.tags, dataset: { ...rest, sourceType: source_type } };
      });
      await store.logInputs(req.run_id, inputs);
      return {};
    },
  }),
  defineRoute({
    rpc: "searchRuns",
    method: "POST",
    path: "/runs/search",
    summary: "Search runs with MLflow's filter grammar, order_by and pagination.",
    request: z.object({
      experiment_ids: stringList.default([]),
      filter: z.string().optional(),
      run_view_type: viewType.optional(),
      max_results: maxResults(LIMITS.runsPerPage).default(1000),
      order_by: stringList.optional(),
      page_token: pageToken.optional(),
    }),
    handler: async (req, { store }) => {
      const page = await store.searchRuns({
        experimentIds: req.experiment_ids,
        filter: req.filter || undefined,
        runViewType: toViewType(req.run_view_type),
        maxResults: req.max_results,
        orderBy: req.order_by,
        pageToken: req.page_token || undefined,
      });
      return withPageToken({ runs: page.items.map(toWireRun) }, page.nextPageToken);
    },
  }),
];
