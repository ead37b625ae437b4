/** MLflow's experiment RPCs (service.proto `MlflowService`, experiments/*). */
import { z } from "zod";
import { notFound } from "../../errors.js";
import { LIMITS } from "../limits.js";
import { defineRoute, type Route } from "../route.js";
import {
  keyValue,
  maxResults,
  pageToken,
  requiredString,
  stringList,
  toViewType,
  viewType,
} from "../schemas.js";
import { toWireExperiment, withPageToken } from "../wire.js";

const experimentId = z.object({ experiment_id: requiredString });

const searchExperiments = z.object({
  max_results: maxResults(LIMITS.experimentsPerPage).default(1000),
  page_token: pageToken.optional(),
  filter: z.string().optional(),
  order_by: stringList.optional(),
  view_type: viewType.optional(),
});

/** Experiment routes. */
export const EXPERIMENT_ROUTES: Route[] = [
  defineRoute({
    rpc: "createExperiment",
    method: "POST",
    path: "/experiments/create",
    summary: "Create an experiment; RESOURCE_ALREADY_EXISTS when the name is taken.",
    request: z.object({
      name: requiredString,
      artifact_location: z.string().optional(),
      tags: z.array(keyValue).default([]),
    }),
    handler: async (req, { store }) => {
      const id = await store.createExperiment(req.name, req.artifact_location || undefined, req.tags);
      return { experiment_id: id };
    },
  }),
  defineRoute({
    rpc: "getExperiment",
    method: "GET",
    path: "/experiments/get",
    summary: "Get an experiment by id (also deleted ones).",
    request: experimentId,
    handler: async (req, { store }) => ({
      experiment: toWireExperiment(await store.getExperiment(req.experiment_id)),
    }),
  }),
  defineRoute({
    rpc: "getExperimentByName",
    method: "GET",
    path: "/experiments/get-by-name",
    summary: "Get an experiment by name.",
    request: z.object({ experiment_name: requiredString }),
    handler: async (req, { store }) => {
      const experiment = await store.getExperimentByName(req.experiment_name);
      if (!experiment) throw notFound(`Could not find experiment with name '${req.experiment_name}'`);
      return { experiment: toWireExperiment(experiment) };
    },
  }),
  ...(["POST", "GET"] as const).map((method) =>
    defineRoute({
      rpc: "searchExperiments",
      method,
      path: "/experiments/search",
      summary: "Search experiments with a filter, order_by and pagination.",
      request: searchExperiments,
      handler: async (req, { store }) => {
        const page = await store.searchExperiments({
          maxResults: req.max_results,
          pageToken: req.page_token || undefined,
          filter: req.filter || undefined,
          orderBy: req.order_by,
          viewType: toViewType(req.view_type),
        });
        return withPageToken({ experiments: page.items.map(toWireExperiment) }, page.nextPageToken);
      },
    }),
  ),
  defineRoute({
    rpc: "deleteExperiment",
    method: "POST",
    path: "/experiments/delete",
    summary: "Soft-delete an experiment and its runs.",
    request: experimentId,
    handler: async (req, { store }) => {
      await store.deleteExperiment(req.experiment_id);
      return {};
    },
  }),
  defineRoute({
    rpc: "restoreExperiment",
    method: "POST",
    path: "/experiments/restore",
    summary: "Restore a deleted experiment.",
    request: experimentId,
    handler: async (req, { store }) => {
      await store.restoreExperiment(req.experiment_id);
      return {};
    },
  }),
  defineRoute({
    rpc: "updateExperiment",
    method: "POST",
    path: "/experiments/update",
    summary: "Rename an experiment.",
    request: z.object({ experiment_id: requiredString, new_name: requiredString }),
    handler: async (req, { store }) => {
      await store.renameExperiment(req.experiment_id, req.new_name);
      return {};
    },
  }),
  defineRoute({
    rpc: "setExperimentTag",
    method: "POST",
    path: "/experiments/set-experiment-tag",
    summary: "Set (overwrite) an experiment tag.",
    request: z.object({ experiment_id: requiredString, key: requiredString, value: z.string().default("") }),
    handler: async (req, { store }) => {
      const tag = { key: req.key, value: req.value };
      await store.setExperimentTag(req.experiment_id, tag);
      return {};
    },
  }),
];
