/**
 * Serving endpoints for the web UI (`/api/2.0/keel/endpoints/*`): list, status (policy, traffic
 * split, the live figures a running `keel endpoint serve` publishes, canary progress, events),
 * and promote / roll back, exactly what `keel endpoint` does from the CLI.
 */
import { z } from "zod";
import { invalidParam } from "../../errors.js";
import { type EndpointStore, hasEndpointStore } from "../../store/endpoint-store.js";
import type { MetadataStore } from "../../store/metadata-store.js";
import { checkedPolicy, newEndpointEvent, trafficPolicy } from "../endpoint-schemas.js";
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

/** A change through the store API: the endpoint, its new policy, the event recording it. */
const changeRequest = z.object({ name: requiredString, policy: trafficPolicy, event: newEndpointEvent });

/** Endpoint routes. */
export const ENDPOINT_ROUTES: Route[] = [
  // The store's own calls, for `keel endpoint` and `keel endpoint serve` against a remote server.
  defineRoute({
    rpc: "createEndpoint",
    method: "POST",
    path: "/endpoints/create",
    summary:
      "Create an endpoint at revision 1 with its first traffic policy and a `created` event (RESOURCE_ALREADY_EXISTS when the name is taken).",
    request: changeRequest,
    handler: async (req, { store }) => ({
      endpoint: await endpoints(store).createEndpoint(req.name, checkedPolicy(req.policy), req.event),
    }),
  }),
  defineRoute({
    rpc: "getEndpoint",
    method: "GET",
    path: "/endpoints/get",
    summary: "One endpoint: its traffic policy and revision (RESOURCE_DOES_NOT_EXIST naming it when absent).",
    request: byName,
    handler: async (req, { store }) => ({ endpoint: await endpoints(store).getEndpoint(req.name) }),
  }),
  defineRoute({
    rpc: "updateEndpoint",
    method: "POST",
    path: "/endpoints/update",
    summary:
      "Replace the policy and append the event, only if the stored revision is still `expected_revision` (INVALID_STATE otherwise: re-read and retry).",
    request: changeRequest.extend({ expected_revision: z.int().min(1) }),
    handler: async (req, { store }) => ({
      endpoint: await endpoints(store).updateEndpoint(
        req.name,
        req.expected_revision,
        checkedPolicy(req.policy),
        req.event,
      ),
    }),
  }),
  defineRoute({
    rpc: "listEndpointEvents",
    method: "GET",
    path: "/endpoints/events",
    summary: "An endpoint's events, oldest first; those with `seq > after_seq` when given.",
    request: z.object({ name: requiredString, after_seq: z.int().min(0).optional() }),
    handler: async (req, { store }) => ({
      events: await endpoints(store).listEndpointEvents(req.name, req.after_seq),
    }),
  }),
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
