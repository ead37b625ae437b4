/**
 * Prometheus metrics of a model server, in a registry of its own: requests, errors and latency by
 * route, model, version and status; micro-batch sizes and inference time per model version; and
 * the prediction log's written, dropped and failed counts.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { PredictionLogStats } from "../prediction-log/prediction-logger.js";

/** Labels of one answered request. */
export interface RequestLabels {
  /** Route pattern, e.g. `/v2/models/:name/infer` ("unmatched" for unknown URLs). */
  readonly route: string;
  /** Model that answered ("" when none was resolved). */
  readonly model: string;
  /** Its version ("" when none was resolved). */
  readonly version: string;
  /** HTTP status code. */
  readonly status: number;
}

/** The server's metrics; `registry` is what `/metrics` exposes. */
export class ServeMetrics {
  /** The registry behind `/metrics`. */
  readonly registry = new Registry();
  readonly #requests: Counter<"route" | "model" | "version" | "status">;
  readonly #errors: Counter<"route" | "model" | "version" | "status">;
  readonly #latency: Histogram<"route" | "model" | "version">;
  readonly #batchRows: Histogram<"model" | "version">;
  readonly #batchRequests: Histogram<"model" | "version">;
  readonly #inference: Histogram<"model" | "version">;

  constructor(predictionLog?: () => PredictionLogStats | undefined) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "keel_serve_" });
    const requestLabels = ["route", "model", "version", "status"] as const;
    this.#requests = new Counter({
      name: "keel_serve_requests_total",
      help: "Requests answered, by route pattern, model, version and HTTP status.",
      labelNames: requestLabels,
      registers,
    });
    this.#errors = new Counter({
      name: "keel_serve_request_errors_total",
      help: "Requests answered with a 4xx or 5xx status, by route pattern, model, version and status.",
      labelNames: requestLabels,
      registers,
    });
    this.#latency = new Histogram({
      name: "keel_serve_request_duration_seconds",
      help: "Request latency in seconds, by route pattern, model and version.",
      labelNames: ["route", "model", "version"],
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.#batchRows = new Histogram({
      name: "keel_serve_batch_size",
      help: "Rows per ONNX Runtime run (micro-batch size), by model and version.",
      labelNames: ["model", "version"],
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, 4096, 16384],
      registers,
    });
    this.#batchRequests = new Histogram({
      name: "keel_serve_batch_requests",
      help: "Requests merged into one ONNX Runtime run, by model and version.",
      labelNames: ["model", "version"],
      buckets: [1, 2, 4, 8, 16, 32, 64, 128],
      registers,
    });
    this.#inference = new Histogram({
      name: "keel_serve_inference_duration_seconds",
      help: "Time from submitting a prediction to its batch's answer, by model and version.",
      labelNames: ["model", "version"],
      buckets: [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
      registers,
    });
    if (predictionLog) {
      const total = (name: string, help: string, key: keyof PredictionLogStats) =>
        new Counter({
          name,
          help,
          registers,
          collect() {
            // The logger keeps the running totals; mirror them at scrape time.
            this.reset();
            this.inc(predictionLog()?.[key] ?? 0);
          },
        });
      total("keel_serve_prediction_log_rows_total", "Prediction rows written to the log.", "written");
      total(
        "keel_serve_prediction_log_dropped_total",
        "Requests not logged: the queue was full or their write failed.",
        "dropped",
      );
      total(
        "keel_serve_prediction_log_errors_total",
        "Prediction log I/O errors (writes and compactions).",
        "errors",
      );
      new Gauge({
        name: "keel_serve_prediction_log_queued_rows",
        help: "Prediction rows waiting in memory to be written.",
        registers,
        collect() {
          this.set(predictionLog()?.queuedRows ?? 0);
        },
      });
    }
  }

  /** Counts and times one answered request. */
  observeRequest(labels: RequestLabels, seconds: number): void {
    const l = { ...labels, status: String(labels.status) };
    this.#requests.inc(l);
    if (labels.status >= 400) this.#errors.inc(l);
    this.#latency.observe({ route: labels.route, model: labels.model, version: labels.version }, seconds);
  }

  /** Records one micro-batch run. */
  observeBatch(model: string, version: string, rows: number, requests: number): void {
    this.#batchRows.observe({ model, version }, rows);
    this.#batchRequests.observe({ model, version }, requests);
  }

  /** Records one prediction's time through the batcher. */
  observeInference(model: string, version: string, seconds: number): void {
    this.#inference.observe({ model, version }, seconds);
  }
}
