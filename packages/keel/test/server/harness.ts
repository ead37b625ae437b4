/**
 * Test harness: a real `keel server` on 127.0.0.1 with a temp SQLite (or PostgreSQL) store and
 * a temp artifact folder, plus a tiny fetch client that returns status and parsed JSON.
 */
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openArtifactStore } from "../../src/artifacts/open-artifact-store.js";
import type { BuildAppOptions } from "../../src/server/app-config.js";
import { buildApp } from "../../src/server/build-app.js";
import { startServer } from "../../src/server/start-server.js";
import { openMetadataStore } from "../../src/store/open-metadata-store.js";

/** A running server and the temp folder behind it. */
export interface TestServer {
  url: string;
  /** The artifact store's folder. */
  artifactsDir: string;
  /** The temp folder holding the store and artifacts. */
  dir: string;
  close(): Promise<void>;
}

/** Start the real server with `startServer` (backend: a temp SQLite file unless given). */
export async function startTestServer(
  options: { backendUri?: string; token?: string } = {},
): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), "keel-server-"));
  const artifactsDir = join(dir, "artifacts");
  const server = await startServer({
    host: "127.0.0.1",
    port: 0,
    backendStoreUri: options.backendUri ?? join(dir, "keel.db"),
    artifactsDestination: artifactsDir,
    token: options.token ?? "",
    logger: false,
  });
  return {
    url: server.url,
    artifactsDir,
    dir,
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Start `buildApp` directly (for options `startServer` does not expose, e.g. small limits). */
export async function startTestApp(
  options: Omit<BuildAppOptions, "store" | "artifacts"> = {},
): Promise<TestServer & { closeStore(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "keel-app-"));
  const artifactsDir = join(dir, "artifacts");
  const store = await openMetadataStore(join(dir, "keel.db"));
  const artifacts = await openArtifactStore(artifactsDir);
  const app = buildApp({ store, artifacts, ...options });
  await app.listen({ host: "127.0.0.1", port: 0 });
  let storeOpen = true;
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    artifactsDir,
    dir,
    closeStore: async () => {
      storeOpen = false;
      await store.close();
    },
    close: async () => {
      await app.close();
      if (storeOpen) await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A response: status, headers and the body parsed as JSON (or null when it is not JSON). */
export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  json: T;
  text: string;
}

/** A JSON client for one server. */
export function client(baseUrl: string, token?: string) {
  const auth: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  // biome-ignore lint/suspicious/noExplicitAny: tests read MLflow's JSON answers ad hoc.
  async function send(method: string, path: string, init: RequestInit = {}): Promise<ApiResponse<any>> {
    const res = await fetch(`${baseUrl}${path}`, {
      ...init,
      method,
      headers: { ...auth, ...(init.headers as Record<string, string> | undefined) },
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: res.status, headers: res.headers, json, text };
  }
  const jsonInit = (body: unknown): RequestInit => ({
    body: JSON.stringify(body),
    headers: { "Content-Type": "application/json" },
  });
  const withQuery = (path: string, query: Record<string, unknown> = {}) => {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      for (const item of Array.isArray(v) ? v : [v]) if (item !== undefined) qs.append(k, String(item));
    }
    const s = qs.toString();
    return s ? `${path}?${s}` : path;
  };
  return {
    /** `GET /api/2.0/mlflow/<rpc>?query` (arrays repeat the key, as MLflow clients send them). */
    get: (rpc: string, query?: Record<string, unknown>) =>
      send("GET", withQuery(`/api/2.0/mlflow/${rpc}`, query)),
    /** `POST /api/2.0/mlflow/<rpc>` with a JSON body. */
    post: (rpc: string, body: unknown) => send("POST", `/api/2.0/mlflow/${rpc}`, jsonInit(body)),
    /** `PATCH /api/2.0/mlflow/<rpc>` with a JSON body. */
    patch: (rpc: string, body: unknown) => send("PATCH", `/api/2.0/mlflow/${rpc}`, jsonInit(body)),
    /** `DELETE /api/2.0/mlflow/<rpc>` with a JSON body (as MLflow's Python client sends it). */
    del: (rpc: string, body: unknown) => send("DELETE", `/api/2.0/mlflow/${rpc}`, jsonInit(body)),
    /** Any request on any path. */
    send,
    withQuery,
  };
}

/** The client type. */
export type Client = ReturnType<typeof client>;
