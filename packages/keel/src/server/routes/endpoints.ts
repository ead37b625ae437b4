/**
 * Serving endpoints for the web UI (`/api/2.0/keel/endpoints/*`): list, status (policy, traffic
 * split, the live figures a running `keel endpoint serve` publishes, canary progress, events),
 * and promote / roll back, exactly what `keel endpoint` does from the CLI.
 */
import { z } from "zod";
import { invalidParam } from "../../errors.js";
import { type EndpointStore, hasEndpointStore } from "../../store/endpoint-store.js";
import type { MetadataStore } from "../../store/metadata-store.js";
import { defineRoute, type Route } from "../route.js";
import { requiredString } from "../schemas.js";
import { serverProjectRoot } from "./ui-support.js";

/** Who the UI's changes are recorded as in endpoint events. */
const UI_ACTOR = "ui";

/** The store's endpoint side; INVALID_PARAMETER_VALUE for a store without endpoints. */
function endpoints(store: MetadataStore): EndpointStore {
  if (!hasEndpointStore(store)) {
    throw invalidParam("This server's store keeps no endpoints; serve a SQLite or PostgreSQL store.");
  }
  return store;
}

// Loaded on first use: the serving modules are large and most servers never touch endpoints.
const admin = () => import("../../serve/endpoints/endpoint-admin.js");

/** The prediction log folder `keel endpoint serve` writes for `name` in the server's project. */
async function logDirOf(name: string): Promise<string> {
  const { defaultPredictionLogDir } = await import("../../serve/start-model-server.js");
  return defaultPredictionLogDir(name, serverProjectRoot());
}

const byName = z.object({ name: requiredString });

/** Endpoint routes. */
export const ENDPOINT_ROUTES: Route[] = [
  defineRoute({
    rpc: "listEndpoints",
    method: "GET",
    path: "/endpoints/list",
    summary: "Every serving endpoint with its traffic policy and revision, by name.",
    request: z.object({}),
    handler: async (_req, { store }) => ({ endpoints: await endpoints(store).listEndpoints() }),
  }),
  defineRoute({
    rpc: "getEndpointStatus",
    method: "GET",
    path: "/endpoints/status",
    summary:
      "`keel endpoint status`: policy, traffic split, live figures of the running server, feedback accuracy, canary progress, events.",
    request: byName,
    handler: async (req, { store }) => ({
      status: await (await admin()).endpointStatus(endpoints(store), req.name, await logDirOf(req.name)),
    }),
  }),
  defineRoute({
    rpc: "promoteEndpoint",
    method: "POST",
    path: "/endpoints/promote",
    summary: "Promote the endpoint's candidate to stable (`keel endpoint promote`).",
    request: byName,
    handler: async (req, { store }) => ({
      endpoint: await (await admin()).promoteEndpoint(endpoints(store), req.name, UI_ACTOR),
    }),
  }),
  defineRoute({
    rpc: "rollbackEndpoint",
    method: "POST",
    path: "/endpoints/rollback",
    summary:
      "Roll the endpoint back: drop the candidate, or return to the previous stable (`keel endpoint rollback`).",
    request: z.object({ name: requiredString, reason: z.string().optional() }),
    handler: async (req, { store }) => ({
      endpoint: await (await admin()).rollbackEndpoint(
        endpoints(store),
        req.name,
        UI_ACTOR,
        req.reason || "rolled back from the web UI",
      ),
    }),
  }),
];
