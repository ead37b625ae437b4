/** MLflow's model-version RPCs (model_registry.proto, model-versions/*). */
import { z } from "zod";
import { invalidParam } from "../../errors.js";
import { MODEL_STAGES, type ModelStage } from "../../store/entities.js";
import type { TrackingStore } from "../../store/tracking-store.js";
import { checkModelSource, LIMITS } from "../limits.js";
import { defineRoute, type Route } from "../route.js";
import { keyValue, maxResults, pageToken, requiredString, stringList } from "../schemas.js";
import { toWireModelVersion, withPageToken } from "../wire.js";

const version = z.object({ name: requiredString, version: requiredString });

/** `runs:/<run_id>/<path>`, the run-relative model URIs MLflow clients register. */
const RUNS_URI = /^runs:\/+([^/]+)\/?(.*)$/;

/**
 * Resolve a `runs:/` source to the run's storage URI (the store keeps storage URIs); other
 * sources pass through. Returns the run id the source names, if any.
 */
async function resolveSource(
  store: TrackingStore,
  source: string,
): Promise<{ source: string; runId?: string }> {
  const m = RUNS_URI.exec(source);
  if (!m) return { source };
  const [, runId, path] = m as unknown as [string, string, string];
  const run = await store.getRun(runId);
  const root = run.info.artifactUri.replace(/\/+$/, "");
  return { source: path ? `${root}/${path}` : root, runId };
}

/** MLflow accepts stage names in any case (`staging` -> `Staging`). */
function canonicalStage(stage: string): ModelStage {
  const found = MODEL_STAGES.find((s) => s.toLowerCase() === stage.toLowerCase());
  if (!found) {
    throw invalidParam(
      `Invalid Model Version stage: ${stage}. Value must be one of ${MODEL_STAGES.join(", ")}.`,
    );
  }
  return found;
}

/** Model version routes. */
export const MODEL_VERSION_ROUTES: Route[] = [
  defineRoute({
    rpc: "createModelVersion",
    method: "POST",
    path: "/model-versions/create",
    summary: "Create the next version of a registered model from a source URI (runs:/ URIs are resolved).",
    request: z.object({
      name: requiredString,
      source: requiredString,
      run_id: z.string().optional(),
      tags: z.array(keyValue).default([]),
      run_link: z.string().optional(),
      description: z.string().optional(),
    }),
    handler: async (req, { store }) => {
      checkModelSource(req.source);
      const resolved = await resolveSource(store, req.source);
      const mv = await store.createModelVersion({
        name: req.name,
        source: resolved.source,
        runId: req.run_id || resolved.runId,
        runLink: req.run_link || undefined,
        description: req.description || undefined,
        tags: req.tags,
      });
      return { model_version: toWireModelVersion(mv) };
    },
  }),
  defineRoute({
    rpc: "getModelVersion",
    method: "GET",
    path: "/model-versions/get",
    summary: "Get one model version.",
    request: version,
    handler: async (req, { store }) => ({
      model_version: toWireModelVersion(await store.getModelVersion(req.name, req.version)),
    }),
  }),
  defineRoute({
    rpc: "updateModelVersion",
    method: "PATCH",
    path: "/model-versions/update",
    summary: "Change a model version's description.",
    request: version.extend({ description: z.string().default("") }),
    handler: async (req, { store }) => ({
      model_version: toWireModelVersion(
        await store.updateModelVersion(req.name, req.version, req.description),
      ),
    }),
  }),
  defineRoute({
    rpc: "deleteModelVersion",
    method: "DELETE",
    path: "/model-versions/delete",
    summary: "Delete a model version (and the aliases pointing at it).",
    request: version,
    handler: async (req, { store }) => {
      await store.deleteModelVersion(req.name, req.version);
      return {};
    },
  }),
  defineRoute({
    rpc: "searchModelVersions",
    method: "GET",
    path: "/model-versions/search",
    summary: "Search model versions (filter on name, run_id, source_path, version_number, tags).",
    request: z.object({
      filter: z.string().optional(),
      max_results: maxResults(LIMITS.modelVersionsPerPage).default(10_000),
      order_by: stringList.optional(),
      page_token: pageToken.optional(),
    }),
    handler: async (req, { store }) => {
      const page = await store.searchModelVersions({
        filter: req.filter || undefined,
        maxResults: req.max_results,
        orderBy: req.order_by,
        pageToken: req.page_token || undefined,
      });
      return withPageToken({ model_versions: page.items.map(toWireModelVersion) }, page.nextPageToken);
    },
  }),
  defineRoute({
    rpc: "transitionModelVersionStage",
    method: "POST",
    path: "/model-versions/transition-stage",
    summary: "Move a version to a legacy stage (None, Staging, Production, Archived).",
    request: version.extend({ stage: requiredString, archive_existing_versions: z.boolean() }),
    handler: async (req, { store }) => {
      const stage = canonicalStage(req.stage);
      const mv = await store.transitionModelVersionStage(
        req.name,
        req.version,
        stage,
        req.archive_existing_versions,
      );
      return { model_version: toWireModelVersion(mv) };
    },
  }),
  defineRoute({
    rpc: "setModelVersionTag",
    method: "POST",
    path: "/model-versions/set-tag",
    summary: "Set (overwrite) a model version tag.",
    request: version.extend({ key: requiredString, value: z.string().default("") }),
    handler: async (req, { store }) => {
      const tag = { key: req.key, value: req.value };
      await store.setModelVersionTag(req.name, req.version, tag);
      return {};
    },
  }),
  defineRoute({
    rpc: "deleteModelVersionTag",
    method: "DELETE",
    path: "/model-versions/delete-tag",
    summary: "Delete a model version tag.",
    request: version.extend({ key: requiredString }),
    handler: async (req, { store }) => {
      await store.deleteModelVersionTag(req.name, req.version, req.key);
      return {};
    },
  }),
  defineRoute({
    rpc: "getModelVersionDownloadUri",
    method: "GET",
    path: "/model-versions/get-download-uri",
    summary: "Where a model version's artifacts are stored.",
    request: version,
    handler: async (req, { store }) => ({
      artifact_uri: (await store.getModelVersion(req.name, req.version)).source,
    }),
  }),
];
