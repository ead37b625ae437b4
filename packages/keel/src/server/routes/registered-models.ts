/** MLflow's registered-model RPCs (model_registry.proto, registered-models/*). */
import { z } from "zod";
import { LIMITS } from "../limits.js";
import { defineRoute, type Route } from "../route.js";
import { keyValue, maxResults, pageToken, requiredString, stringList } from "../schemas.js";
import { toWireAliasEvent, toWireModelVersion, toWireRegisteredModel, withPageToken } from "../wire.js";

const name = z.object({ name: requiredString });
const alias = z.object({ name: requiredString, alias: requiredString });

const getLatestVersions = z.object({ name: requiredString, stages: stringList.optional() });

/** Registered model routes (aliases included: they live under registered-models/alias). */
export const REGISTERED_MODEL_ROUTES: Route[] = [
  defineRoute({
    rpc: "createRegisteredModel",
    method: "POST",
    path: "/registered-models/create",
    summary: "Create a registered model; RESOURCE_ALREADY_EXISTS when the name is taken.",
    request: z.object({
      name: requiredString,
      tags: z.array(keyValue).default([]),
      description: z.string().optional(),
    }),
    handler: async (req, { store }) => {
      const model = await store.createRegisteredModel(req.name, req.tags, req.description);
      return { registered_model: toWireRegisteredModel(model) };
    },
  }),
  defineRoute({
    rpc: "getRegisteredModel",
    method: "GET",
    path: "/registered-models/get",
    summary: "Get a registered model with its latest versions, tags and aliases.",
    request: name,
    handler: async (req, { store }) => ({
      registered_model: toWireRegisteredModel(await store.getRegisteredModel(req.name)),
    }),
  }),
  defineRoute({
    rpc: "renameRegisteredModel",
    method: "POST",
    path: "/registered-models/rename",
    summary: "Rename a registered model (its versions follow).",
    request: z.object({ name: requiredString, new_name: requiredString }),
    handler: async (req, { store }) => ({
      registered_model: toWireRegisteredModel(await store.renameRegisteredModel(req.name, req.new_name)),
    }),
  }),
  defineRoute({
    rpc: "updateRegisteredModel",
    method: "PATCH",
    path: "/registered-models/update",
    summary: "Change a registered model's description.",
    request: z.object({ name: requiredString, description: z.string().default("") }),
    handler: async (req, { store }) => ({
      registered_model: toWireRegisteredModel(await store.updateRegisteredModel(req.name, req.description)),
    }),
  }),
  defineRoute({
    rpc: "deleteRegisteredModel",
    method: "DELETE",
    path: "/registered-models/delete",
    summary: "Delete a registered model with its versions, tags and aliases.",
    request: name,
    handler: async (req, { store }) => {
      await store.deleteRegisteredModel(req.name);
      return {};
    },
  }),
  defineRoute({
    rpc: "searchRegisteredModels",
    method: "GET",
    path: "/registered-models/search",
    summary: "Search registered models (filter on name and tags).",
    request: z.object({
      filter: z.string().optional(),
      max_results: maxResults(LIMITS.modelsPerPage).default(100),
      order_by: stringList.optional(),
      page_token: pageToken.optional(),
    }),
    handler: async (req, { store }) => {
      const page = await store.searchRegisteredModels({
        filter: req.filter || undefined,
        maxResults: req.max_results,
        orderBy: req.order_by,
        pageToken: req.page_token || undefined,
      });
      return withPageToken({ registered_models: page.items.map(toWireRegisteredModel) }, page.nextPageToken);
    },
  }),
  ...(["POST", "GET"] as const).map((method) =>
    defineRoute({
      rpc: "getLatestVersions",
      method,
      path: "/registered-models/get-latest-versions",
      summary: "Latest version per stage (or for the given stages).",
      request: getLatestVersions,
      handler: async (req, { store }) => {
        const versions = await store.getLatestVersions(req.name, req.stages?.length ? req.stages : undefined);
        return { model_versions: versions.map(toWireModelVersion) };
      },
    }),
  ),
  defineRoute({
    rpc: "setRegisteredModelTag",
    method: "POST",
    path: "/registered-models/set-tag",
    summary: "Set (overwrite) a registered model tag.",
    request: z.object({ name: requiredString, key: requiredString, value: z.string().default("") }),
    handler: async (req, { store }) => {
      const tag = { key: req.key, value: req.value };
      await store.setRegisteredModelTag(req.name, tag);
      return {};
    },
  }),
  defineRoute({
    rpc: "deleteRegisteredModelTag",
    method: "DELETE",
    path: "/registered-models/delete-tag",
    summary: "Delete a registered model tag.",
    request: z.object({ name: requiredString, key: requiredString }),
    handler: async (req, { store }) => {
      await store.deleteRegisteredModelTag(req.name, req.key);
      return {};
    },
  }),
  defineRoute({
    rpc: "setRegisteredModelAlias",
    method: "POST",
    path: "/registered-models/alias",
    summary: "Point an alias (e.g. champion) at a version; every move is kept in the alias history.",
    request: alias.extend({ version: requiredString }),
    handler: async (req, { store }) => {
      await store.setRegisteredModelAlias(req.name, req.alias, req.version);
      return {};
    },
  }),
  defineRoute({
    rpc: "deleteRegisteredModelAlias",
    method: "DELETE",
    path: "/registered-models/alias",
    summary: "Remove an alias.",
    request: alias,
    handler: async (req, { store }) => {
      await store.deleteRegisteredModelAlias(req.name, req.alias);
      return {};
    },
  }),
  defineRoute({
    rpc: "getModelVersionByAlias",
    method: "GET",
    path: "/registered-models/alias",
    summary: "The version an alias points at.",
    request: alias,
    handler: async (req, { store }) => ({
      model_version: toWireModelVersion(await store.getModelVersionByAlias(req.name, req.alias)),
    }),
  }),
  defineRoute({
    rpc: "getAliasHistory",
    method: "GET",
    path: "/registered-models/alias-history",
    summary: "Keel extension: every recorded alias move of a model (optionally one alias), oldest first.",
    request: z.object({ name: requiredString, alias: z.string().optional() }),
    handler: async (req, { store }) => ({
      events: (await store.getAliasHistory(req.name, req.alias || undefined)).map(toWireAliasEvent),
    }),
  }),
];
