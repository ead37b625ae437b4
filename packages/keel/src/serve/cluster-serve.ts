/**
 * `keel serve --workers N`: N processes (node:cluster) sharing one port, each with its own model
 * session, micro-batcher and prediction log segments. The primary restarts a worker that dies,
 * forwards SIGTERM/SIGINT to every worker and exits 0 once all drained. `/metrics` on any worker
 * answers the sum over all workers: the worker asks the primary, which gathers every worker's
 * registry with prom-client's AggregatorRegistry.
 */
import cluster, { type Worker } from "node:cluster";
import { fileURLToPath } from "node:url";
import { AggregatorRegistry } from "prom-client";
import type { JsonLog } from "./http/access-log.js";
import type { ModelServerOptions } from "./serve-config.js";

/** Environment variable carrying the worker's options (JSON). */
export const WORKER_OPTIONS_ENV = "KEEL_SERVE_WORKER_OPTIONS";

const METRICS_REQ = "keel:serve:metrics-req";
const METRICS_RES = "keel:serve:metrics-res";

/** Worker options that survive JSON (no functions). */
export type WorkerOptions = Omit<ModelServerOptions, "logWrite" | "metricsText">;

/** A running cluster. */
export interface RunningCluster {
  /** Base URL all workers share. */
  readonly url: string;
  /** Stops every worker gracefully. */
  close(): Promise<void>;
}

/** Starts `workers` processes serving `options`; resolves when all listen. */
export async function startServeCluster(
  options: WorkerOptions,
  workers: number,
  log: JsonLog,
): Promise<RunningCluster> {
  const aggregator = new AggregatorRegistry();
  cluster.setupPrimary({ exec: fileURLToPath(new URL("./cluster-worker.js", import.meta.url)), args: [] });
  let stopping = false;
  let url = "";
  const env = { [WORKER_OPTIONS_ENV]: JSON.stringify(options) };

  const onMessage = (worker: Worker, msg: { type?: string; id?: number }) => {
    if (msg?.type !== METRICS_REQ) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: METRICS_RES, id: msg.id, text }),
      (e: unknown) => worker.send({ type: METRICS_RES, id: msg.id, error: String(e) }),
    );
  };
  cluster.on("message", onMessage);

  const fork = () =>
    new Promise<Worker>((resolve, reject) => {
      const w = cluster.fork(env);
      w.once("listening", (address) => {
        url ||= `http://${address.address ?? options.host ?? "127.0.0.1"}:${address.port}`;
        resolve(w);
      });
      w.once("exit", (code) => {
        if (stopping) return;
        if (url === "") return reject(new Error(`serve worker exited with code ${code} before listening`));
        log.event("warn", "worker died; restarting", { pid: w.process.pid, code });
        void fork().catch(() => undefined);
      });
    });

  // The first worker binds the port (resolving port 0); the others share it.
  const first = await fork();
  await Promise.all(Array.from({ length: workers - 1 }, fork));
  void first;
  return {
    url,
    async close() {
      stopping = true;
      const all = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
      await Promise.all(
        all.map(
          (w) =>
            new Promise<void>((done) => {
              if (w.isDead()) return done();
              w.once("exit", () => done());
              w.process.kill("SIGTERM");
            }),
        ),
      );
      cluster.off("message", onMessage);
    },
  };
}

/**
 * In a worker: `/metrics` text summed over every worker, through the primary. Falls back to
 * `local` when the primary does not answer within 2 s.
 */
export function clusterMetricsText(local: () => Promise<string>): () => Promise<string> {
  let next = 0;
  const waiting = new Map<number, (text: string | undefined) => void>();
  process.on("message", (msg: { type?: string; id?: number; text?: string }) => {
    if (msg?.type === METRICS_RES && msg.id !== undefined) waiting.get(msg.id)?.(msg.text);
  });
  return async () => {
    const id = next++;
    const text = await new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), 2000);
      waiting.set(id, (t) => {
        clearTimeout(timer);
        resolve(t);
      });
      process.send?.({ type: METRICS_REQ, id });
    });
    waiting.delete(id);
    return text ?? (await local());
  };
}
