/** Options of a model server (`keel serve` flags) and their defaults. */
import type { LogLevel } from "./http/access-log.js";
import type { BatchingOptions } from "./served-model.js";

/** Settings of {@link startModelServer}. */
export interface ModelServerOptions {
  /** Folder of the model package to serve. */
  readonly modelDir: string;
  /** Name clients address (default: the package's manifest name). */
  readonly name?: string | undefined;
  /** Version label (default "1"). */
  readonly version?: string | undefined;
  /** Address to bind (default 127.0.0.1). */
  readonly host?: string | undefined;
  /** Port (0 = any free port; default 8080). */
  readonly port?: number | undefined;
  /** Largest request body in bytes (default 8 MiB). */
  readonly bodyLimit?: number | undefined;
  /** Inference timeout per request in ms (default 5000). */
  readonly timeoutMs?: number | undefined;
  /** Micro-batching limits. */
  readonly batching?: Partial<BatchingOptions> | undefined;
  /** Access log level (default info). */
  readonly logLevel?: LogLevel | undefined;
  /** Where log lines go (default stdout). */
  readonly logWrite?: ((line: string) => void) | undefined;
  /** Prediction log folder, or false to disable logging (default `.keel/predictions/<name>`). */
  readonly predictionLogDir?: string | false | undefined;
  /** Fraction of requests logged (default 1). */
  readonly sampleRate?: number | undefined;
  /** Prediction log segment rotation size in bytes (default 64 MiB). */
  readonly segmentBytes?: number | undefined;
  /** Project root for the default prediction log folder (default: the cwd's project). */
  readonly projectRoot?: string | undefined;
  /** `/metrics` text override (cluster workers aggregate through the primary). */
  readonly metricsText?: (() => Promise<string>) | undefined;
}

/** Defaults of {@link ModelServerOptions}. */
export const SERVE_DEFAULTS = Object.freeze({
  host: "127.0.0.1",
  port: 8080,
  bodyLimit: 8 * 1024 * 1024,
  timeoutMs: 5000,
  logLevel: "info" as LogLevel,
});

/** Parses sizes like `8mb`, `512kb`, `1048576` into bytes. */
export function parseByteSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?\s*$/i.exec(text);
  if (!m) return Number.NaN;
  const unit = (m[2] ?? "b").toLowerCase()[0];
  const scale = unit === "k" ? 1024 : unit === "m" ? 1024 ** 2 : unit === "g" ? 1024 ** 3 : 1;
  return Math.round(Number(m[1]) * scale);
}
