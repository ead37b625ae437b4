/** What the route modules of a model server share. */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { InferenceService } from "../inference-service.js";
import type { ServedModel } from "../served-model.js";
import type { JsonLog } from "./access-log.js";
import type { ServeMetrics } from "./serve-metrics.js";

/** Dependencies of the route modules. */
export interface ServeDeps {
  /** Routing and prediction. */
  readonly service: InferenceService;
  /** Prometheus metrics. */
  readonly metrics: ServeMetrics;
  /** JSON log lines. */
  readonly log: JsonLog;
  /** Folder feedback labels are appended to (the prediction log's folder). */
  readonly feedbackDir: string;
  /** `/metrics` text; default this process's registry (cluster workers aggregate instead). */
  readonly metricsText?: () => Promise<string>;
  /** Remembers which version answered a request, for access logs and metrics. */
  readonly answeredBy: WeakMap<FastifyRequest, ServedModel>;
}

/** Sets the response's request id header and returns the id predictions are logged under. */
export function useRequestId(request: FastifyRequest, reply: FastifyReply, clientId?: string): string {
  const id = clientId ?? request.id;
  reply.header("x-request-id", id);
  return id;
}
