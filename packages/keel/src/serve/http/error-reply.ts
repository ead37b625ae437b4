/**
 * Errors as each protocol spells them: Open Inference Protocol routes (`/v2/...`) answer
 * `{"error": "..."}`, MLflow's scoring routes `{"error_code": "...", "message": "..."}`. Bad input
 * is always a 4xx with a message naming the problem; only bugs become 500 (and are logged).
 */
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import { ERROR_STATUS, type ErrorCode, isKeelError } from "../../errors.js";
import type { JsonLog } from "./access-log.js";

/** Status, code and message of an error response. */
export interface ServeError {
  /** HTTP status. */
  readonly status: number;
  /** MLflow error code. */
  readonly code: ErrorCode;
  /** What went wrong and how to fix it. */
  readonly message: string;
}

/** True for routes of the Open Inference Protocol. */
export function isV2Url(url: string): boolean {
  return url === "/v2" || url.startsWith("/v2/") || url.startsWith("/v2?");
}

/** The body of an error in the protocol of `request`'s route. */
export function errorBody(request: FastifyRequest, e: ServeError): Record<string, string> {
  return isV2Url(request.url) ? { error: e.message } : { error_code: e.code, message: e.message };
}

function where(request: FastifyRequest): string {
  return `${request.method} ${request.url.split("?")[0]}`;
}

/** Fastify's own request errors as 4xx answers, or undefined for anything else. */
function requestError(error: FastifyError, request: FastifyRequest): ServeError | undefined {
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return {
        status: 413,
        code: "REQUEST_LIMIT_EXCEEDED",
        message: `The request body is larger than the ${request.routeOptions.bodyLimit} bytes ${where(request)} accepts; send fewer rows per request or start the server with a larger --body-limit.`,
      };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return {
        status: 415,
        code: "BAD_REQUEST",
        message: `Content-Type '${request.headers["content-type"] ?? "(none)"}' is not accepted by ${where(request)}; send application/json${request.url.startsWith("/invocations") ? " or text/csv" : ""}.`,
      };
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return {
        status: 400,
        code: "MALFORMED_REQUEST",
        message: `The request body is not valid JSON (${error.message}); send a JSON object with Content-Type: application/json.`,
      };
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return {
        status: 400,
        code: "MALFORMED_REQUEST",
        message: `The request body is empty but Content-Type is application/json; send a JSON object.`,
      };
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return {
      status: error.statusCode,
      code: "BAD_REQUEST",
      message: `Bad request to ${where(request)}: ${error.message}`,
    };
  }
  return undefined;
}

/** Installs the error and not-found handlers of a model server. */
export function installServeErrors(app: FastifyInstance, log: JsonLog): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let e: ServeError | undefined = isKeelError(error)
      ? { status: ERROR_STATUS[error.code] ?? 400, code: error.code, message: error.message }
      : requestError(error, request);
    if (e === undefined) {
      log.event("error", "unhandled error", {
        request_id: request.id,
        url: request.url,
        error: String(error.stack ?? error),
      });
      e = {
        status: 500,
        code: "INTERNAL_ERROR",
        message: `Internal error while handling ${where(request)} (request ${request.id}); the server log has the details.`,
      };
    }
    return reply.status(e.status).send(errorBody(request, e));
  });
  app.setNotFoundHandler((request, reply) => {
    const e: ServeError = {
      status: 404,
      code: "ENDPOINT_NOT_FOUND",
      message: `No route for ${where(request)}. This server answers the Open Inference Protocol under /v2 (health, metadata, /v2/models/{name}/infer) and MLflow's POST /invocations, GET /ping, /health, /version; metrics at /metrics.`,
    };
    return reply.status(404).send(errorBody(request, e));
  });
}
