/**
 * Prometheus metrics for one app: a registry of its own (so several apps in one process never
 * share counters), request counts and latency by route, method and status.
 */
import type { FastifyInstance } from "fastify";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

/** Label for requests that matched no route, so unknown URLs cannot blow up cardinality. */
const UNMATCHED = "unmatched";

/**
 * Count and time every response of `app`.
 * @returns the registry to expose on `/metrics`.
 */
export function installHttpMetrics(app: FastifyInstance): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "keel_" });
  const labelNames = ["method", "route", "status"] as const;
  const requests = new Counter({
    name: "keel_http_requests_total",
    help: "HTTP requests handled, by method, route pattern and status code.",
    labelNames,
    registers: [registry],
  });
  const latency = new Histogram({
    name: "keel_http_request_duration_seconds",
    help: "HTTP request latency in seconds, by method, route pattern and status code.",
    labelNames,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.addHook("onResponse", async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? UNMATCHED,
      status: String(reply.statusCode),
    };
    requests.inc(labels);
    latency.observe(labels, reply.elapsedTime / 1000);
  });
  return registry;
}
