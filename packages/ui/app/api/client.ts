/**
 * The one way the UI talks to `keel server`: same-origin JSON calls under `/ajax-api/2.0/...`,
 * with the bearer token (asked once, kept in sessionStorage) when the server requires one.
 */

/** Where the token lives for the tab's session. */
const TOKEN_KEY = "keel.token";

/** An error answer of the server (`{error_code, message}`), or a network failure. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

type TokenAsker = (reason: string) => Promise<string>;
let askForToken: TokenAsker | null = null;
let pendingAsk: Promise<string> | null = null;

/** Install the dialog that asks for a token (the app does this once). */
export function setTokenAsker(asker: TokenAsker): void {
  askForToken = asker;
}

function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** Query string with repeated keys for arrays (`experiment_ids=1&experiment_ids=2`). */
export function queryString(query: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === "") continue;
    for (const item of Array.isArray(v) ? v : [v]) q.append(k, String(item));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

async function send(url: string, init: RequestInit, retried: boolean): Promise<Response> {
  const headers = new Headers(init.headers);
  const t = token();
  if (t) headers.set("Authorization", `Bearer ${t}`);
  const res = await fetch(url, { ...init, headers });
  if (res.status === 401 && !retried && askForToken) {
    pendingAsk ??= askForToken(t ? "The token was not accepted." : "This server requires a token.").finally(
      () => {
        pendingAsk = null;
      },
    );
    sessionStorage.setItem(TOKEN_KEY, await pendingAsk);
    return send(url, init, true);
  }
  if (!res.ok) {
    let code = "HTTP_ERROR";
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { error_code?: string; message?: string };
      code = body.error_code ?? code;
      message = body.message ?? message;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(message, res.status, code);
  }
  return res;
}

/** GET an API path (below `/ajax-api/2.0/`) with a query. */
export async function get<T>(path: string, query: Record<string, unknown> = {}): Promise<T> {
  const res = await send(`/ajax-api/2.0/${path}${queryString(query)}`, { method: "GET" }, false);
  return (await res.json()) as T;
}

/** POST a JSON body to an API path (below `/ajax-api/2.0/`). */
export async function post<T>(path: string, body: object): Promise<T> {
  const res = await send(
    `/ajax-api/2.0/${path}`,
    { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) },
    false,
  );
  return (await res.json()) as T;
}

/** A run's artifact file as a Blob (through the server's artifact proxy). */
export async function artifactBlob(runId: string, path: string): Promise<Blob> {
  const res = await send(`/get-artifact${queryString({ run_id: runId, path })}`, { method: "GET" }, false);
  return res.blob();
}

/** A wire double as a number (`"NaN"` → NaN). */
export function num(v: number | string): number {
  return typeof v === "number" ? v : Number(v);
}
