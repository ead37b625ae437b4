/**
 * Top-level sections of the web UI, each a page at `/<section>`: the one list the browser's
 * router (packages/ui/app/router.ts) and the server's SPA fallback (ui-routes.ts) both import.
 * Plain data, so the UI bundle can import it without Node.
 */
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
