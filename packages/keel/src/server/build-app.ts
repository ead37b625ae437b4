/**
 * `keel server`'s Fastify app: the MLflow REST API 2.0 over Keel's stores, Keel's native JSON API
 * (dataset versions), the artifact proxy and native endpoints, with one error handler, optional
 * bearer auth and Prometheus metrics.
 */
import Fastify, { type FastifyInstance } from "fastify";
import { APP_DEFAULTS, type BuildAppOptions } from "./app-config.js";
import { artifactProxyRoutes } from "./artifact-proxy.js";
import { installBearerAuth } from "./auth.js";
import { installErrorHandling } from "./error-handler.js";
import { installHttpMetrics } from "./http-metrics.js";
import { mountRawRoutes, mountRouteTable } from "./mount-routes.js";
import { nativeRoutes } from "./native-routes.js";
import { buildOpenApi } from "./openapi.js";
import type { RawRoute, RouteTable } from "./route.js";
import { API_TABLES } from "./routes/index.js";
import { mountUi } from "./ui/serve-ui.js";
import { isUiPath } from "./ui/ui-routes.js";
import { KEEL_VERSION } from "./version.js";

/** Which methods each concrete (non-wildcard) path accepts, for "use POST" hints on 404. */
function methodsByPath(tables: readonly RouteTable[], raw: readonly RawRoute[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (path: string, method: string) => out.set(path, [...(out.get(path) ?? []), method]);
  for (const t of tables)
    for (const r of t.routes) for (const prefix of t.prefixes) add(`${prefix}${r.path}`, r.method);
  for (const r of raw) if (!r.url.endsWith("*")) add(r.url, r.method);
  return out;
}

/**
 * Build the app without listening (tests use `app.inject` or `listen` themselves).
 * The stores stay owned by the caller: closing the app does not close them.
 */
export function buildApp(options: BuildAppOptions): FastifyInstance {
  const jsonBodyLimit = options.jsonBodyLimit ?? APP_DEFAULTS.jsonBodyLimit;
  const artifactBodyLimit = options.artifactBodyLimit ?? APP_DEFAULTS.artifactBodyLimit;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: jsonBodyLimit,
    routerOptions: { maxParamLength: APP_DEFAULTS.maxParamLength },
  });
  const stores = { store: options.store, artifacts: options.artifacts };
  const proxy = artifactProxyRoutes(stores, artifactBodyLimit);
  const registry = installHttpMetrics(app);
  const native = nativeRoutes(options.store, registry, () =>
    buildOpenApi(API_TABLES, [...native, ...proxy], KEEL_VERSION),
  );

  installErrorHandling(app, methodsByPath(API_TABLES, [...native, ...proxy]));
  if (options.token) installBearerAuth(app, options.token, isUiPath);
  for (const table of API_TABLES) mountRouteTable(app, table, stores);
  mountRawRoutes(app, proxy, artifactBodyLimit);
  mountRawRoutes(app, native, jsonBodyLimit);
  mountUi(app);
  return app;
}
