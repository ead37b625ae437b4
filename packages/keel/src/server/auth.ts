/**
 * Optional bearer-token auth: with a token configured, every request except `GET /health`
 * must carry `Authorization: Bearer <token>` (what MLflow clients send for
 * `MLFLOW_TRACKING_TOKEN`), else 401 UNAUTHENTICATED.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { KeelError } from "../errors.js";

/** Paths that stay open so load balancers and orchestrators can probe the server. */
const OPEN_PATHS = new Set(["/health"]);

/** Constant-time comparison; hashing first makes lengths equal so the length does not leak either. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Require `Authorization: Bearer <token>` on every route but {@link OPEN_PATHS}.
 * @param isPublicPage - GET paths that need no token (the web UI's static files: the page must
 *   load before it can ask for the token; it holds no data).
 */
export function installBearerAuth(
  app: FastifyInstance,
  token: string,
  isPublicPage: (path: string) => boolean = () => false,
): void {
  app.addHook("onRequest", async (request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    if (OPEN_PATHS.has(path)) return;
    if ((request.method === "GET" || request.method === "HEAD") && isPublicPage(path)) return;
    const header = request.headers.authorization ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (match && sameSecret(match[1]!.trim(), token)) return;
    reply.header("WWW-Authenticate", 'Bearer realm="keel"');
    throw new KeelError(
      "UNAUTHENTICATED",
      header
        ? "The bearer token is not valid for this server; check KEEL_SERVER_TOKEN / MLFLOW_TRACKING_TOKEN."
        : "This server requires authentication: send 'Authorization: Bearer <token>' " +
            "(MLflow clients: set MLFLOW_TRACKING_TOKEN).",
    );
  });
}
