/**
 * Mount route tables: one loop, every row under each of its table's prefixes, each handler
 * wrapped so it receives parsed, validated input and returns JSON (MLflow's for MLflow rows).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RequestPayload } from "fastify";
import type { ArtifactStore } from "../artifacts/artifact-store.js";
import { KeelError } from "../errors.js";
import type { MetadataStore } from "../store/metadata-store.js";
import { parseRequest } from "./request-parsing.js";
import type { RawRoute, Route, RouteTable } from "./route.js";

/** MLflow serves its API under both prefixes; the UI uses the `ajax-api` one. */
export const MLFLOW_PREFIXES = ["/api/2.0/mlflow", "/ajax-api/2.0/mlflow"] as const;

/**
 * Keel's native JSON API (what MLflow has no RPC for, e.g. dataset versions), beside MLflow's and
 * with the same `ajax-api` twin, so the UI reaches both the same way.
 */
export const KEEL_PREFIXES = ["/api/2.0/keel", "/ajax-api/2.0/keel"] as const;

/** Parse a JSON body; empty means `{}`, and legacy clients' double-encoded strings are unwrapped. */
function parseJsonBody(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "string" ? JSON.parse(value) : value;
  } catch (e) {
    throw new KeelError(
      "MALFORMED_REQUEST",
      `The request body is not valid JSON (${(e as Error).message}). Send a JSON object, e.g. ` +
        `{"run_id": "..."}, with Content-Type: application/json.`,
    );
  }
}

/** Content-Length of a request, when announced. */
function announcedLength(header: string | string[] | undefined): number | undefined {
  const n = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(n) ? n : undefined;
}

/** A preParsing hook answering `route.tooLarge` when Content-Length already exceeds the limit. */
function rejectAnnouncedOversize(route: Route) {
  return async (request: FastifyRequest, _reply: FastifyReply, payload: RequestPayload) => {
    const size = announcedLength(request.headers["content-length"]);
    if (route.tooLarge && route.bodyLimit !== undefined && size !== undefined && size > route.bodyLimit) {
      throw route.tooLarge(size);
    }
    return payload;
  };
}

/**
 * Register a table's routes under each of its prefixes in their own scope, with a JSON body
 * parser that reports malformed JSON as MALFORMED_REQUEST. GET rows read the query string; other
 * methods read the JSON body, or the query string when there is no body (`DELETE ?name=`).
 */
export function mountRouteTable(
  app: FastifyInstance,
  table: RouteTable,
  stores: { store: MetadataStore; artifacts: ArtifactStore },
): void {
  app.register(async (scope) => {
    // JSON only: MLflow rejects other types too, which keeps browsers' no-preflight "simple"
    // requests (text/plain, forms) from writing to the API cross-site.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
      try {
        done(null, parseJsonBody(body as string));
      } catch (e) {
        done(e as Error, undefined);
      }
    });
    for (const route of table.routes) {
      for (const prefix of table.prefixes) {
        scope.route({
          method: route.method,
          url: `${prefix}${route.path}`,
          ...(route.bodyLimit === undefined ? {} : { bodyLimit: route.bodyLimit }),
          ...(route.tooLarge ? { preParsing: rejectAnnouncedOversize(route) } : {}),
          handler: async (request) => {
            const fromQuery = route.method === "GET" || request.body === undefined;
            const input = parseRequest(
              route.request,
              fromQuery ? request.query : request.body,
              fromQuery ? "query" : "body",
            );
            return route.handler(input, { ...stores, request });
          },
        });
      }
    }
  });
}

/**
 * Register raw routes in a scope whose only body parser hands the request stream through
 * untouched, whatever its Content-Type: artifact uploads are streamed, never buffered or parsed.
 * @param bodyLimit - reported in the 413 message; raw handlers enforce it while streaming.
 */
export function mountRawRoutes(app: FastifyInstance, routes: readonly RawRoute[], bodyLimit: number): void {
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_req, payload, done) => done(null, payload));
    for (const route of routes) {
      scope.route({ method: route.method, url: route.url, bodyLimit, handler: route.handler });
    }
  });
}
