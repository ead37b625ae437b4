/**
 * Serve the built web UI at `/`: Vite's content-hashed bundles under `/assets/` are cached for a
 * year (`immutable`: a new build has new names), while `index.html` — answered for every client
 * route — is `no-cache`, so a new build is picked up on the next load. A Content-Security-Policy
 * keeps the page on this origin: no CDN fonts, scripts or beacons can load even by mistake.
 */
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyInstance, FastifyReply } from "fastify";
import { notFound } from "../../errors.js";
import { findUiDir, uiContentType } from "./ui-files.js";
import { UI_ASSETS_PREFIX, UI_SECTIONS } from "./ui-routes.js";

/** `Cache-Control` of hashed assets. */
export const ASSET_CACHE_CONTROL = "public, max-age=31536000, immutable";

/** `Cache-Control` of `index.html`: always revalidate. */
export const PAGE_CACHE_CONTROL = "no-cache";

/**
 * Same-origin only. Styles allow inline attributes (charts set them); frames may show
 * `srcdoc` previews of HTML reports, which the UI sandboxes without scripts.
 */
export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self' blob: data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join("; ");

/** Bundle names Vite emits: one folder, no subfolders, so no path can leave it. */
const ASSET_NAME = /^[\w.-]+$/;

/** The page shown when `npm run build` has not built the UI yet. */
const NOT_BUILT =
  "<!doctype html><meta charset=utf-8><title>Keel</title><p>The Keel web UI is not built. " +
  "Run <code>npm run build</code> (it builds <code>packages/ui</code> into <code>packages/keel/dist/ui</code>) " +
  "and restart <code>keel server</code>. The API is served as usual: see <a href=/openapi.json>/openapi.json</a>.";

/** Register the UI's GET routes: `/`, each section and its sub-paths, and `/assets/*`. */
export function mountUi(app: FastifyInstance, dir: string | null = findUiDir()): void {
  const sendPage = async (reply: FastifyReply) => {
    reply
      .header("Cache-Control", PAGE_CACHE_CONTROL)
      .header("Content-Security-Policy", UI_CSP)
      .header("X-Content-Type-Options", "nosniff")
      .type("text/html; charset=utf-8");
    if (dir === null) return reply.code(404).send(NOT_BUILT);
    // Read per request (it is tiny): a rebuild's new bundle names are picked up without a restart.
    return reply.send(await readFile(join(dir, "index.html")));
  };
  const pages = ["/", ...UI_SECTIONS.flatMap((s) => [`/${s}`, `/${s}/*`])];
  app.register(async (scope) => {
    for (const url of pages) scope.get(url, async (_request, reply) => sendPage(reply));
    scope.get(`${UI_ASSETS_PREFIX}*`, async (request, reply) => {
      const name = (request.params as Record<string, string>)["*"] ?? "";
      const file = dir !== null && ASSET_NAME.test(name) ? join(dir, "assets", name) : null;
      const info = file ? await stat(file).catch(() => null) : null;
      if (file === null || !info?.isFile()) {
        throw notFound(`UI asset '${name}' does not exist; reload the page to get the current build.`);
      }
      return reply
        .header("Cache-Control", ASSET_CACHE_CONTROL)
        .header("X-Content-Type-Options", "nosniff")
        .header("Content-Length", info.size)
        .type(uiContentType(name))
        .send(createReadStream(file));
    });
  });
}
