/**
 * The browser paths the UI answers with its `index.html` (client-side routes, the SPA
 * fallback). They are listed, not caught by a wildcard, so they can never shadow an API route
 * (`/api`, `/ajax-api`, `/v2`, `/health`, `/metrics`, `/get-artifact`, ...): an unknown path still
 * gets the server's 404 ENDPOINT_NOT_FOUND. Keep in step with `packages/ui/app/router.ts`.
 */

/** Top-level sections of the UI; each serves `/<section>` and `/<section>/*`. */
export const UI_SECTIONS = Object.freeze([
  "experiments",
  "runs",
  "compare",
  "models",
  "datasets",
  "endpoints",
  "monitoring",
  "pipelines",
] as const);

/** Folder of Vite's hashed bundles, below the site root. */
export const UI_ASSETS_PREFIX = "/assets/";

/** True when `path` (no query) is a page of the UI or one of its assets: served without a token. */
export function isUiPath(path: string): boolean {
  if (path === "/" || path.startsWith(UI_ASSETS_PREFIX)) return true;
  const section = path.split("/")[1] ?? "";
  return (UI_SECTIONS as readonly string[]).includes(section);
}
