/**
 * The browser paths the UI answers with its `index.html` (client-side routes, the SPA
 * fallback). They are listed, not caught by a wildcard, so they can never shadow an API route
 * (`/api`, `/ajax-api`, `/v2`, `/health`, `/metrics`, `/get-artifact`, ...): an unknown path still
 * gets the server's 404 ENDPOINT_NOT_FOUND. Each section of {@link UI_SECTIONS} serves `/<section>`
 * and `/<section>/*`.
 */
import { UI_SECTIONS } from "./ui-sections.js";

export { UI_SECTIONS };

/** Folder of Vite's hashed bundles, below the site root. */
export const UI_ASSETS_PREFIX = "/assets/";

/** True when `path` (no query) is a page of the UI or one of its assets: served without a token. */
export function isUiPath(path: string): boolean {
  if (path === "/" || path.startsWith(UI_ASSETS_PREFIX)) return true;
  const section = path.split("/")[1] ?? "";
  return (UI_SECTIONS as readonly string[]).includes(section);
}
