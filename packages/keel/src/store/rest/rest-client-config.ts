/** Options of {@link RestClient}: where the server is, how to authenticate, how hard to retry. */
export interface RestClientConfig {
  /** Server base URL, e.g. `http://127.0.0.1:5000` (a path prefix such as `/mlflow` is kept). */
  baseUrl: string;
  /** Bearer token sent as `Authorization: Bearer <token>`; default env `KEEL_TRACKING_TOKEN`. */
  token?: string | undefined;
  /**
   * Idle timeout in ms: how long to wait for the answer's headers (and between chunks of an
   * upload) before giving up on an attempt. Default 30,000.
   */
  timeoutMs?: number | undefined;
  /** Retries after the first attempt for retryable failures. Default 5. */
  maxRetries?: number | undefined;
  /** First backoff delay in ms; doubles each retry, with jitter. Default 200. */
  backoffMs?: number | undefined;
  /** Cap on one backoff delay (and on a server's `Retry-After`), in ms. Default 5,000. */
  maxBackoffMs?: number | undefined;
}

/** Defaults of {@link RestClientConfig}, in one place. */
export const REST_CLIENT_DEFAULTS = Object.freeze({
  timeoutMs: 30_000,
  maxRetries: 5,
  backoffMs: 200,
  maxBackoffMs: 5_000,
});
