import type { FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import type { ArtifactStore } from "../artifacts/artifact-store.js";
import type { KeelError } from "../errors.js";
import type { MetadataStore } from "../store/metadata-store.js";

/** HTTP methods used by MLflow's REST API and Keel's (PUT only by the artifact proxy). */
export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE" | "PUT";

/** What a route handler may use: the stores and the raw request (for headers, never for parsing). */
export interface RouteContext {
  /** Tracking and registry metadata. */
  readonly store: MetadataStore;
  /** Where artifacts live (the `--artifacts-destination`). */
  readonly artifacts: ArtifactStore;
  /** The Fastify request, already parsed into the handler's input. */
  readonly request: FastifyRequest;
}

/**
 * One row of the route table (MLflow's `HANDLERS` + `get_service_endpoints` in one place).
 * GET rows read their input from the query string, the others from a JSON body; both are
 * validated by `request` before `handler` runs.
 */
export interface Route<S extends z.ZodType = z.ZodType> {
  /** MLflow's rpc name, e.g. `createExperiment`, or Keel's for native rows (also the OpenAPI operationId). */
  readonly rpc: string;
  /** HTTP method. */
  readonly method: HttpMethod;
  /** Path below the table's prefix, e.g. `/experiments/create`. */
  readonly path: string;
  /** Request schema: the single source of validation and of the OpenAPI document. */
  readonly request: S;
  /** One-line summary for the OpenAPI document. */
  readonly summary: string;
  /** Body limit in bytes when it differs from the app's JSON default (log-batch: 1 MB). */
  readonly bodyLimit?: number;
  /** The error for a body over `bodyLimit` (announced by Content-Length); default: a 413. */
  readonly tooLarge?: (size: number) => KeelError;
  /** Parse, make one library call, wrap the result in the response shape (MLflow's, for MLflow rows). */
  readonly handler: (input: z.output<S>, ctx: RouteContext) => Promise<object>;
}

/** Build a route row with its handler's input type inferred from the schema. */
export function defineRoute<S extends z.ZodType>(route: Route<S>): Route {
  return route as unknown as Route;
}

/**
 * A route table and the URL prefixes it is mounted under: MLflow's REST API and Keel's native
 * JSON API are two tables of the same {@link Route} rows, mounted, validated and documented by
 * the same code.
 */
export interface RouteTable {
  /** Prefixes every row is served under; the first is the canonical one (documented in OpenAPI). */
  readonly prefixes: readonly string[];
  /** The rows. */
  readonly routes: readonly Route[];
}

/**
 * A route that is not an MLflow JSON RPC (artifact bytes, /health, /metrics): it owns its reply.
 * Kept in tables too, so the OpenAPI document lists every endpoint.
 */
export interface RawRoute {
  /** Operation name (OpenAPI operationId). */
  readonly rpc: string;
  /** HTTP method. */
  readonly method: HttpMethod;
  /** Full URL pattern; `*` is the rest of the path (an artifact path). */
  readonly url: string;
  /** One-line summary for the OpenAPI document. */
  readonly summary: string;
  /** Query parameters, validated by the handler with `parseRequest` and listed in OpenAPI. */
  readonly query?: z.ZodType;
  /** What the response body is, for OpenAPI. */
  readonly produces: "application/json" | "application/octet-stream" | "text/plain";
  /** True when the request body is raw bytes (artifact uploads). */
  readonly bytesIn?: boolean;
  /** Handle the request and send (or return) the reply. */
  readonly handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}
