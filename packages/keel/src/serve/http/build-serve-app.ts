/**
 * The model server's Fastify app: Open Inference Protocol and MLflow scoring routes over an
 * {@link InferenceService}, one error handler per protocol, `/metrics`, and an access log line
 * plus metrics for every answered request. It neither loads models nor listens.
 */
import { randomUUID } from "node:crypto";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import type { InferenceService } from "../inference-service.js";
import type { ServedModel } from "../served-model.js";
import type { JsonLog } from "./access-log.js";
import { installServeErrors } from "./error-reply.js";
import { registerMlflowRoutes } from "./mlflow-routes.js";
import type { ServeDeps } from "./serve-deps.js";
import type { ServeMetrics } from "./serve-metrics.js";
import { registerV2Routes } from "./v2-routes.js";

/** Options of {@link buildServeApp}. */
export interface ServeAppOptions {
  /** Routing and prediction. */
  readonly service: InferenceService;
  /** Metrics registry and observers. */
  readonly metrics: ServeMetrics;
  /** Access and event log. */
  readonly log: JsonLog;
  /** Largest request body in bytes (413 above it). */
  readonly bodyLimit: number;
  /** Folder feedback labels go to. */
  readonly feedbackDir: string;
  /** `/metrics` text override (cluster aggregation). */
  readonly metricsText?: () => Promise<string>;
}

// Client ids are echoed in headers and logs: keep them short and printable.
const CLIENT_ID = /^[\w.:@/+=-]{1,128}$/;

/** Builds the app; the caller listens and closes it. */
export function buildServeApp(options: ServeAppOptions): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit,
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && CLIENT_ID.test(given) ? given : randomUUID();
    },
  });
  const answeredBy = new WeakMap<FastifyRequest, ServedModel>();
  const deps: ServeDeps = {
    service: options.service,
    metrics: options.metrics,
    log: options.log,
    feedbackDir: options.feedbackDir,
    metricsText: options.metricsText,
    answeredBy,
  };
  app.addContentTypeParser("text/csv", { parseAs: "string" }, (_req, body, done) => done(null, body));
  installServeErrors(app, options.log);
  // While shutting down, answers to requests still in flight close their connection, so
  // keep-alive clients do not hold the server open until their idle timeout.
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onSend", async (_request, reply, payload) => {
    if (closing) reply.header("connection", "close");
    return payload;
  });

  app.addHook("onResponse", async (request, reply) => {
    const model = answeredBy.get(request);
    const route = request.routeOptions.url ?? "unmatched";
    const status = reply.statusCode;
    options.metrics.observeRequest(
      { route, model: model?.name ?? "", version: model?.version ?? "", status },
      reply.elapsedTime / 1000,
    );
    options.log.access({
      requestId: String(reply.getHeader("x-request-id") ?? request.id),
      method: request.method,
      route,
      url: request.url,
      status,
      latencyMs: reply.elapsedTime,
      model: model?.name,
      version: model?.version,
    });
  });

  registerV2Routes(app, deps);
  registerMlflowRoutes(app, deps);
  app.get("/metrics", async (_request, reply) => {
    const text = options.metricsText ? await options.metricsText() : await options.metrics.registry.metrics();
    return reply.type(options.metrics.registry.contentType).send(text);
  });
  return app;
}
