/**
 * Starts a model server for one package: load the version, wire the prediction log, metrics,
 * logs and the HTTP app, listen. `close()` shuts down gracefully: stop accepting connections,
 * finish in-flight requests, drain the micro-batcher, flush and close the prediction log.
 */
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { loadProject } from "../project/keel-config.js";
import { JsonLog } from "./http/access-log.js";
import { buildServeApp } from "./http/build-serve-app.js";
import { listenServeApp } from "./http/listen.js";
import { ServeMetrics } from "./http/serve-metrics.js";
import { InferenceService } from "./inference-service.js";
import { PredictionLogger } from "./prediction-log/prediction-logger.js";
import { SingleModelRouter } from "./router.js";
import { type ModelServerOptions, SERVE_DEFAULTS } from "./serve-config.js";
import { ServedModel } from "./served-model.js";

/** A listening model server. */
export interface RunningModelServer {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** Port bound. */
  readonly port: number;
  /** The served version. */
  readonly model: ServedModel;
  /** The prediction log writer, when logging is on. */
  readonly predictionLog: PredictionLogger | undefined;
  /** Folder of the prediction and feedback logs. */
  readonly logDir: string;
  /** The Fastify app (tests inject requests). */
  readonly app: FastifyInstance;
  /** Metrics of this process. */
  readonly metrics: ServeMetrics;
  /** Graceful shutdown; see the module comment. */
  close(): Promise<void>;
}

/** Default prediction log folder: `<project>/.keel/predictions/<name>`. */
export function defaultPredictionLogDir(name: string, projectRoot?: string): string {
  const root = projectRoot ?? loadProject().root;
  return join(root, ".keel", "predictions", name.replace(/[^\w.-]/g, "_"));
}

/** A prediction logger for `dir` whose I/O errors become (rate-limited) warn lines of `log`. */
export function openPredictionLogger(
  dir: string,
  options: Pick<ModelServerOptions, "sampleRate" | "segmentBytes">,
  log: JsonLog,
): PredictionLogger {
  let reported = 0;
  return new PredictionLogger({
    dir,
    sampleRate: options.sampleRate,
    maxSegmentBytes: options.segmentBytes,
    onError: (e) => {
      // Report the first errors, then every 1000th: a broken disk must not flood the log.
      if (reported++ < 5 || reported % 1000 === 0) {
        log.event("warn", "prediction log write failed", { dir, error: String(e), failures: reported });
      }
    },
  });
}

/** Loads the package, builds the app and listens; see {@link ModelServerOptions}. */
export async function startModelServer(options: ModelServerOptions): Promise<RunningModelServer> {
  const log = new JsonLog(options.logLevel ?? SERVE_DEFAULTS.logLevel, options.logWrite);
  let metrics: ServeMetrics | undefined;
  let predictionLog: PredictionLogger | undefined;
  const model = await ServedModel.load(options.modelDir, {
    name: options.name,
    version: options.version,
    batching: options.batching,
    onBatch: (m, rows, requests) => metrics?.observeBatch(m.name, m.version, rows, requests),
  });
  const logDir =
    typeof options.predictionLogDir === "string"
      ? options.predictionLogDir
      : defaultPredictionLogDir(model.name, options.projectRoot);
  if (options.predictionLogDir !== false) predictionLog = openPredictionLogger(logDir, options, log);
  const logger = predictionLog;
  metrics = new ServeMetrics(() => logger?.stats);
  const m = metrics;
  const service = new InferenceService(new SingleModelRouter(model), {
    timeoutMs: options.timeoutMs ?? SERVE_DEFAULTS.timeoutMs,
    predictionLog,
    onInference: (v, s) => m.observeInference(v.name, v.version, s),
    onShadowError: (v, e) =>
      log.event("warn", "shadow prediction failed", { model: v.name, version: v.version, error: String(e) }),
  });
  const app = buildServeApp({
    service,
    metrics,
    log,
    bodyLimit: options.bodyLimit ?? SERVE_DEFAULTS.bodyLimit,
    feedbackDir: logDir,
    metricsText: options.metricsText,
  });
  const { port, url } = await listenServeApp(app, options, async () => {
    await model.close();
    await predictionLog?.close();
  });
  log.event("info", "serving", {
    url,
    model: model.name,
    version: model.version,
    prediction_log: predictionLog ? logDir : null,
  });
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    model,
    predictionLog,
    logDir,
    app,
    metrics,
    close() {
      closing ??= (async () => {
        await app.close();
        await model.close();
        await predictionLog?.close();
        log.event("info", "stopped", { model: model.name, version: model.version });
      })();
      return closing;
    },
  };
}
