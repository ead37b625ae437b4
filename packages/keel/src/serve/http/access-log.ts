/**
 * Structured access logs: one JSON line per request on stdout (time, level, request id, method,
 * route, status, latency, model, version). 2xx/3xx log at `info`, 4xx at `warn`, 5xx at
 * `error`; lines below the configured level are skipped.
 */

/** Log levels, quietest last. */
export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One access log entry. */
export interface AccessEntry {
  /** Request id. */
  readonly requestId: string;
  /** HTTP method. */
  readonly method: string;
  /** Route pattern. */
  readonly route: string;
  /** Request URL (path and query). */
  readonly url: string;
  /** HTTP status. */
  readonly status: number;
  /** Latency in ms. */
  readonly latencyMs: number;
  /** Model name, when resolved. */
  readonly model?: string | undefined;
  /** Model version, when resolved. */
  readonly version?: string | undefined;
}

/** Writes access and server log lines as JSON. */
export class JsonLog {
  readonly #min: number;
  readonly #write: (line: string) => void;

  /** @param write - where lines go (default stdout). */
  constructor(level: LogLevel, write: (line: string) => void = (l) => process.stdout.write(l)) {
    this.#min = LOG_LEVELS.indexOf(level);
    this.#write = write;
  }

  /** True when lines of `level` are written. */
  enabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) >= this.#min;
  }

  /** Logs one answered request. */
  access(e: AccessEntry): void {
    const level: LogLevel = e.status >= 500 ? "error" : e.status >= 400 ? "warn" : "info";
    if (!this.enabled(level)) return;
    this.#line(level, "request", {
      request_id: e.requestId,
      method: e.method,
      route: e.route,
      url: e.url,
      status: e.status,
      latency_ms: Math.round(e.latencyMs * 1000) / 1000,
      ...(e.model ? { model: e.model, version: e.version } : {}),
    });
  }

  /** Logs a server event. */
  event(level: Exclude<LogLevel, "silent">, msg: string, fields: Record<string, unknown> = {}): void {
    if (this.enabled(level)) this.#line(level, msg, fields);
  }

  #line(level: string, msg: string, fields: Record<string, unknown>): void {
    this.#write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
  }
}
