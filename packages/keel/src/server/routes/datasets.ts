/**
 * Keel's dataset-version RPCs (`datasets/*` under `/api/2.0/keel`; MLflow has no equivalent):
 * what `keel data add` records, read and written over HTTP for remote mode.
 *
 * The schemas check wire types only (strings, numbers, which fields are required); the rules
 * (name pattern, versions >= 1, sizes >= 0) are the store's, so one mistake gets one message
 * whether the store is embedded or behind this server.
 */
import { z } from "zod";
import { defineRoute, type Route } from "../route.js";
import { toWireDatasetSummary, toWireDatasetUsage, toWireDatasetVersion } from "../wire.js";

/** A dataset name; `""` reaches the store, which answers as it does in-process. */
const name = z.string();

/** A version number; integer and range checks are the store's. */
const version = z.number();

const nameAndVersion = z.object({ name, version });

/** Dataset version routes. */
export const DATASET_ROUTES: Route[] = [
  defineRoute({
    rpc: "createDatasetVersion",
    method: "POST",
    path: "/datasets/versions/create",
    summary:
      "Record the next version of a dataset; idempotent: when the newest version has the same digest and path, it is returned unchanged.",
    request: z.object({
      name,
      digest: z.string(),
      size: z.number(),
      file_count: z.number(),
      path: z.string(),
      schema: z.string().optional(),
      profile: z.string().optional(),
      git_commit: z.string().optional(),
      description: z.string().optional(),
      user_id: z.string().optional(),
    }),
    handler: async (req, { store }) => {
      const v = await store.createDatasetVersion({
        name: req.name,
        digest: req.digest,
        size: req.size,
        fileCount: req.file_count,
        path: req.path,
        schema: req.schema,
        profile: req.profile,
        gitCommit: req.git_commit,
        description: req.description,
        userId: req.user_id,
      });
      return { dataset_version: toWireDatasetVersion(v) };
    },
  }),
  defineRoute({
    rpc: "getDatasetVersion",
    method: "GET",
    path: "/datasets/versions/get",
    summary: "Get one dataset version (`name@version`).",
    request: nameAndVersion,
    handler: async (req, { store }) => ({
      dataset_version: toWireDatasetVersion(await store.getDatasetVersion(req.name, req.version)),
    }),
  }),
  defineRoute({
    rpc: "getLatestDatasetVersion",
    method: "GET",
    path: "/datasets/versions/get-latest",
    summary: "Get the newest version of a dataset (`name@latest`).",
    request: z.object({ name }),
    handler: async (req, { store }) => ({
      dataset_version: toWireDatasetVersion(await store.getLatestDatasetVersion(req.name)),
    }),
  }),
  defineRoute({
    rpc: "listDatasetVersions",
    method: "GET",
    path: "/datasets/versions/list",
    summary: "Every version of a dataset, oldest first (empty for an unknown name).",
    request: z.object({ name }),
    handler: async (req, { store }) => ({
      dataset_versions: (await store.listDatasetVersions(req.name)).map(toWireDatasetVersion),
    }),
  }),
  defineRoute({
    rpc: "listDatasets",
    method: "GET",
    path: "/datasets/list",
    summary: "Every dataset name with its newest version, by name.",
    request: z.object({}),
    handler: async (_req, { store }) => ({
      datasets: (await store.listDatasets()).map(toWireDatasetSummary),
    }),
  }),
  defineRoute({
    rpc: "findDatasetUsage",
    method: "GET",
    path: "/datasets/versions/usage",
    summary:
      "Lineage: the runs that logged `name@version` as an input, and the model versions they produced.",
    request: nameAndVersion,
    handler: async (req, { store }) =>
      toWireDatasetUsage(await store.findDatasetUsage(req.name, req.version)),
  }),
];
