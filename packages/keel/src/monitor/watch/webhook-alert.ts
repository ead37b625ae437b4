/**
 * Alert delivery: a JSON POST to a webhook with a timeout per attempt and bounded retries with
 * exponential backoff. It never throws: the outcome (delivered or not, attempts, last error) is
 * returned and recorded with the check, so a dead webhook never stops the watcher.
 */

/** Retry policy of {@link postAlert}. */
export interface AlertRetry {
  /** Attempts in all, the first included (default 4). */
  readonly attempts?: number;
  /** Wait before the second attempt, doubled each time after (default 500 ms). */
  readonly backoffMs?: number;
  /** Timeout of each attempt (default 10 s). */
  readonly timeoutMs?: number;
}

/** Defaults of {@link AlertRetry}. */
export const ALERT_RETRY_DEFAULTS = Object.freeze({ attempts: 4, backoffMs: 500, timeoutMs: 10_000 });

/** What happened to one alert. */
export interface AlertDelivery {
  /** Webhook URL. */
  readonly url: string;
  /** True when a 2xx answer came back. */
  readonly delivered: boolean;
  /** Attempts made. */
  readonly attempts: number;
  /** HTTP status of the last answer, null when none came (network error, timeout). */
  readonly status: number | null;
  /** Why the last attempt failed, when it did. */
  readonly error: string | null;
}

// 4xx answers other than these mean the request itself is wrong: retrying cannot help.
const RETRYABLE_4XX = new Set([408, 425, 429]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * POSTs `payload` as JSON to `url`, retrying network errors, timeouts, 5xx, 408, 425 and 429.
 *
 * @example
 * const d = await postAlert("http://127.0.0.1:9000/hook", { endpoint: "flights" }, { attempts: 3 });
 * if (!d.delivered) console.warn(`alert not delivered: ${d.error}`);
 */
export async function postAlert(
  url: string,
  payload: unknown,
  retry: AlertRetry = {},
): Promise<AlertDelivery> {
  const attempts = Math.max(1, retry.attempts ?? ALERT_RETRY_DEFAULTS.attempts);
  const backoff = retry.backoffMs ?? ALERT_RETRY_DEFAULTS.backoffMs;
  const timeoutMs = retry.timeoutMs ?? ALERT_RETRY_DEFAULTS.timeoutMs;
  const body = JSON.stringify(payload);
  let status: number | null = null;
  let error: string | null = null;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep(backoff * 2 ** (attempt - 2));
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "keel-monitor-watch" },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { url, delivered: true, attempts: attempt, status, error: null };
      error = `HTTP ${res.status}`;
      if (res.status < 500 && !RETRYABLE_4XX.has(res.status))
        return { url, delivered: false, attempts: attempt, status, error };
    } catch (e) {
      status = null;
      const err = e as Error;
      error =
        err.name === "TimeoutError"
          ? `no answer within ${timeoutMs} ms`
          : ((err.cause as Error | undefined)?.message ?? err.message);
    }
  }
  return { url, delivered: false, attempts, status, error };
}
