import { setTimeout as sleep } from "node:timers/promises";
import { ERROR_STATUS, type ErrorCode, KeelError } from "../../errors.js";
import { REST_CLIENT_DEFAULTS, type RestClientConfig } from "./rest-client-config.js";

/** HTTP methods the MLflow APIs use. */
export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE" | "PUT";

/** Prefix of MLflow's tracking and registry REST API 2.0. */
export const MLFLOW_API_PREFIX = "/api/2.0/mlflow";

/** Prefix of Keel's native JSON API (dataset versions), served by `keel server` only. */
export const KEEL_API_PREFIX = "/api/2.0/keel";

/** What fetch accepts as a request body (no DOM lib here, so named from RequestInit). */
export type FetchBody = NonNullable<RequestInit["body"]>;

/** One request through {@link RestClient.send}. */
export interface SendOptions {
  /**
   * True when repeating the call after an ambiguous failure (reset connection, timeout, 429, 502,
   * 503, 504) cannot change the outcome. A refused connection is retried for every call: the
   * request never reached the server.
   */
  idempotent: boolean;
  /** Query parameters; arrays become repeated keys (`order_by=a&order_by=b`), undefined is dropped. */
  query?: Record<string, unknown> | undefined;
  /** Builds the body for each attempt, so a retry never reuses a consumed stream. */
  body?: (() => FetchBody) | undefined;
  /** Extra headers (Content-Type and the like). */
  headers?: Record<string, string> | undefined;
  /** Set when `body` is a stream: fetch then needs `duplex: "half"`. */
  streaming?: boolean | undefined;
  /** False when `body` cannot be built twice (a caller's stream): then no retry ever. Default true. */
  replayable?: boolean | undefined;
}

/** Statuses that mean "not processed, try later" for idempotent calls. */
const RETRY_STATUSES = new Set([429, 502, 503, 504]);

/** Socket errors worth retrying (besides ECONNREFUSED, which is always safe). */
const TRANSIENT_SOCKET_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_CLOSED",
]);

/**
 * A small HTTP client for Keel's (and MLflow's) REST APIs: bearer auth, an idle timeout,
 * exponential backoff with jitter on connection errors and 429/502/503/504, and MLflow error
 * bodies (`{error_code, message}`) turned back into {@link KeelError}s with the same code.
 *
 * @example
 * const client = new RestClient({ baseUrl: "http://127.0.0.1:5000" });
 * const { experiment } = await client.callJson<{ experiment: unknown }>(
 *   "GET", "experiments/get-by-name", { experiment_name: "Default" }, { idempotent: true },
 * );
 */
export class RestClient {
  /** Base URL without a trailing slash. */
  readonly baseUrl: string;
  readonly #token: string | undefined;
  readonly #config: Required<Omit<RestClientConfig, "token" | "baseUrl">>;

  constructor(config: RestClientConfig) {
    this.baseUrl = config.baseUrl.replace(/\/+$/, "");
    this.#token = config.token ?? (process.env.KEEL_TRACKING_TOKEN || undefined);
    this.#config = Object.freeze({
      timeoutMs: config.timeoutMs ?? REST_CLIENT_DEFAULTS.timeoutMs,
      maxRetries: config.maxRetries ?? REST_CLIENT_DEFAULTS.maxRetries,
      backoffMs: config.backoffMs ?? REST_CLIENT_DEFAULTS.backoffMs,
      maxBackoffMs: config.maxBackoffMs ?? REST_CLIENT_DEFAULTS.maxBackoffMs,
    });
  }

  /**
   * Call a JSON endpoint (`experiments/get`, `runs/log-batch`, ...) under `options.prefix`
   * (default MLflow's `/api/2.0/mlflow`; Keel's native calls pass {@link KEEL_API_PREFIX}).
   * GET sends `message` as the query string, other methods as a JSON body (as MLflow's Python
   * client does, DELETE included). Returns the parsed JSON response (`{}` when empty).
   */
  async callJson<T>(
    method: HttpMethod,
    endpoint: string,
    message: Record<string, unknown>,
    options: { idempotent: boolean; prefix?: string | undefined },
  ): Promise<T> {
    const url = `${this.baseUrl}${options.prefix ?? MLFLOW_API_PREFIX}/${endpoint}`;
    const res =
      method === "GET"
        ? await this.send(method, url, { idempotent: options.idempotent, query: message })
        : await this.send(method, url, {
            idempotent: options.idempotent,
            body: () => JSON.stringify(message),
            headers: { "Content-Type": "application/json" },
          });
    const text = await res.text();
    if (text.trim() === "") return {} as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new KeelError(
        "INTERNAL_ERROR",
        `${method} ${url} answered ${res.status} with a body that is not JSON; is this a Keel or MLflow server?`,
      );
    }
  }

  /**
   * Send one request with retries; resolves with a 2xx response (body unread) or throws a
   * KeelError: the server's own code for an MLflow error body, a code derived from the status
   * otherwise, TEMPORARILY_UNAVAILABLE when the server cannot be reached or does not answer in time.
   */
  async send(method: HttpMethod, url: string, options: SendOptions): Promise<Response> {
    const target = withQuery(url, options.query);
    const replayable = options.replayable !== false;
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= this.#config.maxRetries;
      let res: Response;
      try {
        res = await this.#attempt(method, target, options);
      } catch (e) {
        const failure = describeFetchFailure(e);
        const retry = !last && replayable && (failure.refused || (options.idempotent && failure.transient));
        if (!retry) throw unreachable(method, target, failure.reason, attempt + 1, e);
        await sleep(this.#backoff(attempt));
        continue;
      }
      if (res.ok) return res;
      const retry = !last && replayable && options.idempotent && RETRY_STATUSES.has(res.status);
      if (!retry) throw errorFromResponse(method, target, res.status, await res.text());
      await res.body?.cancel();
      await sleep(this.#backoff(attempt, res.headers.get("retry-after")));
    }
  }

  /**
   * One fetch. The timeout is an idle timeout, as in MLflow's client (requests' read timeout):
   * it runs until the response headers arrive and restarts whenever a chunk of a streamed upload
   * is sent, so a large upload or a long download is never cut short while data moves.
   */
  async #attempt(method: HttpMethod, target: string, options: SendOptions): Promise<Response> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const rearm = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () =>
          controller.abort(new DOMException(`no answer within ${this.#config.timeoutMs} ms`, "TimeoutError")),
        this.#config.timeoutMs,
      );
    };
    const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
    if (this.#token !== undefined) headers.Authorization = `Bearer ${this.#token}`;
    const init: RequestInit & { duplex?: "half" } = { method, headers, signal: controller.signal };
    if (options.body !== undefined) init.body = withProgress(options.body(), rearm);
    if (options.streaming) init.duplex = "half";
    rearm();
    try {
      return await fetch(target, init);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Delay before retry `attempt + 1`: the server's Retry-After when given, else 2^n backoff with jitter. */
  #backoff(attempt: number, retryAfter?: string | null): number {
    const cap = this.#config.maxBackoffMs;
    const seconds = retryAfter ? Number(retryAfter) : Number.NaN;
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, cap);
    const base = Math.min(this.#config.backoffMs * 2 ** attempt, cap);
    return base / 2 + Math.random() * (base / 2);
  }
}

/** A streamed body that calls `progress` on every chunk; other bodies as they are. */
function withProgress(body: FetchBody, progress: () => void): FetchBody {
  if (!(body instanceof ReadableStream)) return body;
  return body.pipeThrough(
    new TransformStream({
      transform(chunk, controller) {
        progress();
        controller.enqueue(chunk);
      },
    }),
  );
}

/** `url` with `query` appended; arrays repeat the key, undefined and null are dropped. */
export function withQuery(url: string, query: Record<string, unknown> | undefined): string {
  if (query === undefined) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) params.append(key, String(item));
    }
  }
  const qs = params.toString();
  return qs === "" ? url : `${url}${url.includes("?") ? "&" : "?"}${qs}`;
}

/** Why fetch threw, and whether retrying may help. */
interface FetchFailure {
  reason: string;
  /** Connection refused: nothing reached the server. */
  refused: boolean;
  /** Reset, timeout and the like: the server may or may not have acted. */
  transient: boolean;
}

/** Classify a fetch rejection (undici puts the socket error in `cause`). */
function describeFetchFailure(e: unknown): FetchFailure {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === "TimeoutError" || err?.name === "AbortError") {
    return { reason: "no answer before the timeout", refused: false, transient: true };
  }
  const code = err?.cause?.code;
  if (code === "ECONNREFUSED") return { reason: "connection refused", refused: true, transient: true };
  if (code !== undefined)
    return { reason: code, refused: false, transient: TRANSIENT_SOCKET_CODES.has(code) };
  return { reason: err?.cause?.message ?? err?.message ?? String(e), refused: false, transient: false };
}

/** TEMPORARILY_UNAVAILABLE naming the URL, the socket error and the fix. */
function unreachable(
  method: string,
  url: string,
  reason: string,
  attempts: number,
  cause: unknown,
): KeelError {
  const origin = safeOrigin(url);
  return new KeelError(
    "TEMPORARILY_UNAVAILABLE",
    `${method} ${url} failed after ${attempts} attempt(s): ${reason}. Check that \`keel server\` is running at ${origin} and that KEEL_TRACKING_URI points at it.`,
    { cause },
  );
}

/** The origin of `url` for messages (never the query, which may hold names). */
function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/**
 * The KeelError for a non-2xx answer: MLflow's `{error_code, message}` keeps the server's code
 * and message verbatim, so remote errors read exactly like embedded ones; other bodies get a
 * code from the status.
 */
export function errorFromResponse(method: string, url: string, status: number, body: string): KeelError {
  let parsed: { error_code?: unknown; message?: unknown } | undefined;
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    parsed = undefined;
  }
  const message = typeof parsed?.message === "string" ? parsed.message : undefined;
  const serverCode = typeof parsed?.error_code === "string" ? parsed.error_code : undefined;
  if (serverCode !== undefined && Object.hasOwn(ERROR_STATUS, serverCode)) {
    return new KeelError(serverCode as ErrorCode, message ?? `${method} ${url} failed with ${serverCode}.`);
  }
  const code = codeForStatus(status);
  const detail = message ?? (body.trim().slice(0, 200) || "(empty body)");
  const hint =
    status === 401
      ? " Set KEEL_TRACKING_TOKEN (or the token option) to the server's token."
      : status === 404 && serverCode === undefined
        ? " Is the tracking URI a Keel or MLflow server?"
        : "";
  return new KeelError(
    code,
    `${method} ${url} answered ${status}${serverCode ? ` ${serverCode}` : ""}: ${detail}.${hint}`,
  );
}

/** A Keel error code for an HTTP status without an MLflow error body. */
function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "PERMISSION_DENIED";
    case 404:
      return "ENDPOINT_NOT_FOUND";
    case 429:
      return "REQUEST_LIMIT_EXCEEDED";
    case 501:
      return "NOT_IMPLEMENTED";
    case 503:
      return "TEMPORARILY_UNAVAILABLE";
    default:
      return status >= 400 && status < 500 ? "BAD_REQUEST" : "INTERNAL_ERROR";
  }
}
