/** Start `keel server`: open the stores, build the app, listen; `close()` undoes all of it. */
import type { AddressInfo } from "node:net";
import type { FastifyServerOptions } from "fastify";
import { openArtifactStore } from "../artifacts/open-artifact-store.js";
import { openMetadataStore } from "../store/open-metadata-store.js";
import { buildApp } from "./build-app.js";

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** Address to bind, e.g. `127.0.0.1` (default) or `0.0.0.0`. */
  host?: string | undefined;
  /** Port; 0 picks a free one. */
  port: number;
  /** SQLite path or `postgresql://...` URI of the metadata store. */
  backendStoreUri: string;
  /** Folder (or URI) of the artifact store the proxy serves. */
  artifactsDestination: string;
  /**
   * Artifact root of experiments created without a location; default `mlflow-artifacts:/`, as
   * `mlflow server --serve-artifacts`, so remote clients upload through this server's proxy.
   */
  defaultArtifactRoot?: string | undefined;
  /** Bearer token to require; default `KEEL_SERVER_TOKEN`, none when both are unset. */
  token?: string | undefined;
  /** Fastify's logger option; default warnings and errors to stdout. */
  logger?: FastifyServerOptions["logger"];
}

/** The default artifact root: the server's own artifact proxy. */
export const PROXY_ARTIFACT_ROOT = "mlflow-artifacts:/";

/** A running server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:5055` (use it as MLFLOW_TRACKING_URI). */
  readonly url: string;
  /** The port actually bound. */
  readonly port: number;
  /** Stop accepting connections, finish in-flight requests, close the stores. */
  close(): Promise<void>;
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Open the stores and listen; warns on stderr when binding beyond loopback without a token. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const token = options.token ?? (process.env.KEEL_SERVER_TOKEN || undefined);
  const store = await openMetadataStore(options.backendStoreUri, {
    defaultArtifactRoot: options.defaultArtifactRoot ?? PROXY_ARTIFACT_ROOT,
  });
  let app: ReturnType<typeof buildApp> | undefined;
  try {
    const artifacts = await openArtifactStore(options.artifactsDestination);
    app = buildApp({ store, artifacts, token, logger: options.logger ?? { level: "warn" } });
    await app.listen({ host, port: options.port });
  } catch (e) {
    await app?.close();
    await store.close();
    throw e;
  }
  if (!token && !isLoopback(host)) {
    process.stderr.write(
      `warning: keel server listens on ${host} without a token, so anyone who can reach this port can read ` +
        "and change runs, models and artifacts. Set KEEL_SERVER_TOKEN to require 'Authorization: Bearer <token>'.\n",
    );
  }
  const { port, address } = app.server.address() as AddressInfo;
  const shown = address.includes(":") ? `[${address}]` : address;
  const running = app;
  return {
    url: `http://${shown}:${port}`,
    port,
    async close() {
      try {
        await running.close();
      } finally {
        await store.close();
      }
    },
  };
}
