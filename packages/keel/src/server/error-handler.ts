/**
 * The one place errors become HTTP responses (STYLE §7): KeelError -> its MLflow status and
 * `{error_code, message}`; Fastify's own request errors -> 4xx with a clear message; anything
 * else -> 500 INTERNAL_ERROR, logged. Unknown routes get MLflow/Databricks' ENDPOINT_NOT_FOUND.
 */
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import { type ErrorCode, isKeelError } from "../errors.js";

/** An error response: status and MLflow's body. */
interface ErrorResponse {
  status: number;
  body: { error_code: ErrorCode; message: string };
}

function reply(status: number, error_code: ErrorCode, message: string): ErrorResponse {
  return { status, body: { error_code, message } };
}

/** Fastify's request-level errors (bad content type, body too large, ...) in MLflow's shape. */
function fastifyErrorResponse(error: FastifyError, request: FastifyRequest): ErrorResponse | null {
  const where = `${request.method} ${request.url.split("?")[0]}`;
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return reply(
        413,
        "REQUEST_LIMIT_EXCEEDED",
        `The request body is larger than the ${request.routeOptions.bodyLimit} bytes ${where} accepts; ` +
          "send less data per request.",
      );
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return reply(
        400,
        "INVALID_PARAMETER_VALUE",
        `Content-Type '${request.headers["content-type"] ?? "(none)"}' is not accepted by ${where}; ` +
          "send a JSON body with Content-Type: application/json.",
      );
    default:
      if (error.validation)
        return reply(400, "INVALID_PARAMETER_VALUE", `Invalid request to ${where}: ${error.message}`);
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return reply(error.statusCode, "BAD_REQUEST", `Bad request to ${where}: ${error.message}`);
      }
      return null;
  }
}

/**
 * Install the app's error and not-found handlers.
 * @param methodsByPath - the methods each known API path accepts, to say which one to use.
 */
export function installErrorHandling(
  app: FastifyInstance,
  methodsByPath: ReadonlyMap<string, readonly string[]>,
): void {
  app.setErrorHandler((error: FastifyError, request, res) => {
    let out: ErrorResponse | null = isKeelError(error)
      ? reply(error.status, error.code, error.message)
      : fastifyErrorResponse(error, request);
    if (out === null) {
      request.log.error({ err: error }, "unhandled error");
      out = reply(
        500,
        "INTERNAL_ERROR",
        `Internal error while handling ${request.method} ${request.url.split("?")[0]} (request ${request.id}); ` +
          "the server log has the details.",
      );
    }
    return res.status(out.status).send(out.body);
  });

  app.setNotFoundHandler((request, res) => {
    const path = request.url.split("?")[0] ?? "";
    const methods = methodsByPath.get(path);
    const api = path.replace(/^\/(ajax-)?api\/2\.0/, "");
    const hint = methods
      ? ` This path accepts ${methods.join(", ")}.`
      : " See /openapi.json for the endpoints this server implements.";
    const out = reply(404, "ENDPOINT_NOT_FOUND", `No API found for '${request.method} ${api}'.${hint}`);
    return res.status(out.status).send(out.body);
  });
}
