/** Keel's own endpoints: liveness, version, Prometheus metrics and the OpenAPI document. */
import type { Registry } from "prom-client";
import type { MetadataStore } from "../store/metadata-store.js";
import type { RawRoute } from "./route.js";
import { KEEL_VERSION } from "./version.js";

/**
 * The native route table.
 * @param openapi - builds the OpenAPI document (called once, on first request).
 */
export function nativeRoutes(store: MetadataStore, registry: Registry, openapi: () => object): RawRoute[] {
  let document: object | undefined;
  return [
    {
      rpc: "health",
      method: "GET",
      url: "/health",
      summary: "Liveness: `{status, backend, version}`; never requires auth.",
      produces: "application/json",
      handler: async () => ({ status: "ok", backend: store.kind, version: KEEL_VERSION }),
    },
    {
      rpc: "version",
      method: "GET",
      url: "/version",
      summary: "Keel's version and the MLflow REST API version it implements.",
      produces: "application/json",
      handler: async () => ({ version: KEEL_VERSION, mlflow_api: "2.0" }),
    },
    {
      rpc: "metrics",
      method: "GET",
      url: "/metrics",
      summary: "Prometheus metrics: requests and latency by route, method and status; process metrics.",
      produces: "text/plain",
      handler: async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
    },
    {
      rpc: "openapi",
      method: "GET",
      url: "/openapi.json",
      summary: "This document.",
      produces: "application/json",
      handler: async () => {
        document ??= openapi();
        return document;
      },
    },
  ];
}
