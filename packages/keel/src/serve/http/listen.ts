/** Binding a model server's Fastify app, shared by `keel serve` and `keel endpoint serve`. */
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { SERVE_DEFAULTS } from "../serve-config.js";

/**
 * Listens on `host:port` (the serve defaults when absent) and returns the port and base URL. When
 * binding fails (port taken, bad address), the app is closed and `release` frees what was opened
 * for it (models, prediction log) before the error is rethrown.
 */
export async function listenServeApp(
  app: FastifyInstance,
  options: { readonly host?: string | undefined; readonly port?: number | undefined },
  release: () => Promise<unknown>,
): Promise<{ port: number; url: string }> {
  try {
    await app.listen({
      host: options.host ?? SERVE_DEFAULTS.host,
      port: options.port ?? SERVE_DEFAULTS.port,
    });
  } catch (e) {
    await app.close();
    await release();
    throw e;
  }
  const { port, address } = app.server.address() as AddressInfo;
  return { port, url: `http://${address.includes(":") ? `[${address}]` : address}:${port}` };
}
