/**
 * `keel endpoint serve NAME`: one process serving every version an endpoint routes to through
 * the model server's HTTP layer (the endpoint name is the model name in `/v2/models/{name}`).
 * It polls the store by revision and applies a new policy live: new versions are loaded and
 * warmed before they take traffic, the routing table is swapped in one assignment, and versions
 * no longer needed are closed after a grace period and after their in-flight requests finish.
 * A canary rollout is driven by the controller in the same loop.
 */
import type { FastifyInstance } from "fastify";
import { isKeelError } from "../../errors.js";
import type { ModelSource } from "../../learn/train/fetch-model-package.js";
import type { Endpoint, EndpointStore } from "../../store/endpoint-store.js";
import { JsonLog } from "../http/access-log.js";
import { buildServeApp } from "../http/build-serve-app.js";
import { listenServeApp } from "../http/listen.js";
import { ServeMetrics } from "../http/serve-metrics.js";
import { InferenceService } from "../inference-service.js";
import type { PredictionLogger } from "../prediction-log/prediction-logger.js";
import { type ModelServerOptions, SERVE_DEFAULTS } from "../serve-config.js";
import { defaultPredictionLogDir, openPredictionLogger } from "../start-model-server.js";
import { checkCanary } from "./canary-controller.js";
import { EndpointRouter, type RoutingTable } from "./endpoint-router.js";
import { writeStatsFile } from "./endpoint-stats-file.js";
import { type LoadedVersion, loadEndpointVersion } from "./endpoint-versions.js";
import { candidatePercent, policyVersions, rollbackChange, versionKey } from "./traffic-policy.js";
import { EndpointStats } from "./version-stats.js";

/** Who a rollback after a failed load is recorded as. */
export const SERVER_ACTOR = "endpoint-server";

/** Settings of {@link startEndpointServer}: the model server's, minus the single package. */
export interface EndpointServerOptions
  extends Omit<ModelServerOptions, "modelDir" | "name" | "version" | "metricsText"> {
  /** Endpoint to serve. */
  readonly endpoint: string;
  /** Store holding the endpoint and the registry its versions come from. */
  readonly source: ModelSource & { readonly store: EndpointStore };
  /** How often the store is polled for a new revision, ms (default 500). */
  readonly pollMs?: number | undefined;
  /** How long a retired version stays loaded before it is drained and closed, ms (default 1000). */
  readonly retireGraceMs?: number | undefined;
}

/** A listening endpoint server. */
export interface RunningEndpointServer {
  /** Base URL. */
  readonly url: string;
  /** Port bound. */
  readonly port: number;
  /** The Fastify app. */
  readonly app: FastifyInstance;
  /** The router (its table is the live routing state). */
  readonly router: EndpointRouter;
  /** Live figures per version. */
  readonly stats: EndpointStats;
  /** Folder of the prediction and feedback logs (and the published figures). */
  readonly logDir: string;
  /** The prediction log writer, when logging is on. */
  readonly predictionLog: PredictionLogger | undefined;
  /** Revision applied last. */
  readonly revision: number;
  /** Polls once now (and applies / decides); resolves when done. */
  refresh(): Promise<void>;
  /** Graceful shutdown: stop polling, drain requests, close every version, flush the log. */
  close(): Promise<void>;
}

/** Loads the endpoint's versions, listens, and keeps following the store. */
export async function startEndpointServer(options: EndpointServerOptions): Promise<RunningEndpointServer> {
  const name = options.endpoint;
  const store = options.source.store;
  const log = new JsonLog(options.logLevel ?? SERVE_DEFAULTS.logLevel, options.logWrite);
  const logDir =
    typeof options.predictionLogDir === "string"
      ? options.predictionLogDir
      : defaultPredictionLogDir(name, options.projectRoot);
  const predictionLog =
    options.predictionLogDir === false ? undefined : openPredictionLogger(logDir, options, log);
  const metrics = new ServeMetrics(() => predictionLog?.stats);
  const stats = new EndpointStats();
  const pool = new Map<string, LoadedVersion>();
  const retiring = new Set<Promise<void>>();
  const grace = options.retireGraceMs ?? 1000;

  let failedKey: string | undefined;
  const load = async (ep: Endpoint) => {
    for (const v of policyVersions(ep.policy)) {
      const key = versionKey(v);
      if (pool.has(key)) continue;
      const t0 = performance.now();
      failedKey = key;
      pool.set(
        key,
        await loadEndpointVersion(options.source, v, {
          batching: options.batching,
          onBatch: (m, rows, requests) => metrics.observeBatch(m.name, m.version, rows, requests),
        }),
      );
      failedKey = undefined;
      log.event("info", "version loaded", {
        endpoint: name,
        model: v.model,
        version: v.version,
        ms: Math.round(performance.now() - t0),
      });
    }
  };
  const tableOf = (ep: Endpoint): RoutingTable => {
    const p = ep.policy;
    const get = (v: { model: string; version: string }) => pool.get(versionKey(v))!.model;
    return {
      endpoint: name,
      stable: get(p.stable),
      candidate: p.candidate && get(p.candidate),
      strategy: p.strategy,
      candidatePercent: candidatePercent(p),
      ab: p.ab,
      hosted: policyVersions(p).map(get),
    };
  };

  const first = await store.getEndpoint(name);
  try {
    await load(first);
  } catch (e) {
    await Promise.all([...pool.values()].map((v) => v.close()));
    await predictionLog?.close();
    throw e;
  }
  const router = new EndpointRouter(tableOf(first));
  let applied = first;
  let failedRevision = 0;

  const retireUnused = (ep: Endpoint) => {
    const keep = new Set(policyVersions(ep.policy).map(versionKey));
    for (const [key, loaded] of pool) {
      if (keep.has(key)) continue;
      pool.delete(key);
      // Requests are routed and submitted in one synchronous step, so after the swap no new
      // request reaches this version; close() then waits for the ones it still runs.
      const done = new Promise<void>((r) => setTimeout(r, grace))
        .then(() => loaded.close())
        .catch((e) => log.event("warn", "closing a retired version failed", { key, error: String(e) }))
        .finally(() => retiring.delete(done));
      retiring.add(done);
    }
  };

  const apply = async (ep: Endpoint) => {
    try {
      await load(ep);
    } catch (e) {
      failedRevision = ep.revision;
      log.event("error", "version failed to load", {
        endpoint: name,
        revision: ep.revision,
        error: String(e),
      });
      // A version that cannot load never takes traffic: record a rollback so the store says so.
      const change = rollbackChange(ep.policy, SERVER_ACTOR, `${failedKey} failed to load: ${String(e)}`);
      const prev = change.policy.previous;
      // Keep the broken version out of `previous` too, or the next poll would load it again.
      const policy =
        prev && versionKey(prev) === failedKey ? { ...change.policy, previous: undefined } : change.policy;
      await store.updateEndpoint(name, ep.revision, policy, change.event).catch(() => {});
      return;
    }
    const before = applied.policy;
    router.swap(tableOf(ep));
    const c = ep.policy.candidate;
    if (
      c &&
      (before.candidate === undefined ||
        versionKey(before.candidate) !== versionKey(c) ||
        before.canaryStep !== ep.policy.canaryStep)
    ) {
      stats.resetWindow(versionKey(c));
    }
    applied = ep;
    retireUnused(ep);
    log.event("info", "policy applied", {
      endpoint: name,
      revision: ep.revision,
      stable: versionKey(ep.policy.stable),
      candidate: c ? versionKey(c) : null,
      strategy: ep.policy.strategy ?? null,
      candidate_percent: candidatePercent(ep.policy),
    });
  };

  const service = new InferenceService(router, {
    timeoutMs: options.timeoutMs ?? SERVE_DEFAULTS.timeoutMs,
    predictionLog,
    onInference: (m, s) => {
      metrics.observeInference(m.name, m.version, s);
      stats.answered(`${m.name}:${m.version}`, s);
    },
    onInferenceError: (m, e, kind) => {
      stats.failed(`${m.name}:${m.version}`, kind);
      if (kind !== "client") {
        log.event("warn", kind === "failover" ? "failed over to the stable version" : "inference failed", {
          endpoint: name,
          model: m.name,
          version: m.version,
          error: String(e),
        });
      }
    },
    onShadowError: (m, e) => {
      stats.failed(`${m.name}:${m.version}`, "server");
      log.event("warn", "shadow prediction failed", { model: m.name, version: m.version, error: String(e) });
    },
  });
  const app = buildServeApp({
    service,
    metrics,
    log,
    bodyLimit: options.bodyLimit ?? SERVE_DEFAULTS.bodyLimit,
    feedbackDir: logDir,
  });
  const { port, url } = await listenServeApp(app, options, async () => {
    await Promise.all([...pool.values()].map((v) => v.close()));
    await predictionLog?.close();
  });

  const publish = () =>
    writeStatsFile(logDir, {
      pid: process.pid,
      url,
      updatedAt: Date.now(),
      revision: applied.revision,
      versions: Object.fromEntries(stats.keys().map((k) => [k, stats.snapshot(k)])),
    });

  const tick = async () => {
    let ep = await store.getEndpoint(name);
    if (ep.revision !== applied.revision && ep.revision !== failedRevision) await apply(ep);
    if (applied.revision === ep.revision) {
      const decided = await checkCanary({ store, stats, logDir }, ep);
      if (decided !== undefined) {
        ep = decided;
        await apply(ep);
      }
    }
    await publish();
  };
  // One tick at a time: a slow load (big model) delays the next poll instead of overlapping it.
  let running: Promise<void> = Promise.resolve();
  const refresh = () => {
    running = running.then(tick).catch((e) => {
      const transient = isKeelError(e) && e.code === "TEMPORARILY_UNAVAILABLE";
      log.event(transient ? "warn" : "error", "endpoint poll failed", { endpoint: name, error: String(e) });
    });
    return running;
  };
  const timer = setInterval(refresh, options.pollMs ?? 500);
  timer.unref();
  log.event("info", "serving endpoint", { url, endpoint: name, revision: applied.revision });
  await refresh();

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    app,
    router,
    stats,
    logDir,
    predictionLog,
    get revision() {
      return applied.revision;
    },
    refresh,
    close() {
      closing ??= (async () => {
        clearInterval(timer);
        await running;
        await app.close();
        // The last figures, including requests answered since the last poll.
        await publish().catch((e) =>
          log.event("warn", "could not write the final figures", { endpoint: name, error: String(e) }),
        );
        await Promise.all([...retiring]);
        await Promise.all([...pool.values()].map((v) => v.close()));
        await predictionLog?.close();
        log.event("info", "stopped", { endpoint: name });
      })();
      return closing;
    },
  };
}
