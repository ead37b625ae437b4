/**
 * Entry point of a `keel serve --workers N` worker process: reads its options from the
 * environment, serves, registers its metrics for cluster aggregation, and shuts down gracefully
 * on SIGTERM/SIGINT before exiting 0.
 */
import { AggregatorRegistry } from "prom-client";
import { clusterMetricsText, WORKER_OPTIONS_ENV, type WorkerOptions } from "./cluster-serve.js";
import { serveUntilSignal } from "./serve-until-signal.js";
import { startModelServer } from "./start-model-server.js";

const options = JSON.parse(process.env[WORKER_OPTIONS_ENV] ?? "{}") as WorkerOptions;
let local: (() => Promise<string>) | undefined;
const server = await startModelServer({
  ...options,
  metricsText: clusterMetricsText(() => local?.() ?? Promise.resolve("")),
});
local = () => server.metrics.registry.metrics();
// Answer the primary's aggregation requests with this worker's registry.
new AggregatorRegistry();
AggregatorRegistry.setRegistries([server.metrics.registry]);
await serveUntilSignal(server);
process.exit(0);
