/**
 * Where the built web UI lives: `packages/keel/dist/ui/` (Vite writes it there; it ships inside
 * the keel package). Found relative to this module both when running from `dist/` (compiled) and
 * from `src/` (tests run the sources).
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Candidate folders, compiled layout first. */
const CANDIDATES = [
  new URL("../../ui/", import.meta.url), // dist/server/ui/ui-files.js -> dist/ui/
  new URL("../../../dist/ui/", import.meta.url), // src/server/ui/ui-files.ts -> dist/ui/
];

/** The folder holding the built UI's `index.html`, or null when the UI was not built. */
export function findUiDir(): string | null {
  for (const url of CANDIDATES) {
    const dir = fileURLToPath(url);
    if (existsSync(`${dir}index.html`)) return dir;
  }
  return null;
}

/** Content types of the files Vite emits. */
const TYPES: Readonly<Record<string, string>> = Object.freeze({
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  html: "text/html; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  woff2: "font/woff2",
  json: "application/json",
  map: "application/json",
});

/** The content type of a UI file by extension (`application/octet-stream` when unknown). */
export function uiContentType(name: string): string {
  return TYPES[name.slice(name.lastIndexOf(".") + 1).toLowerCase()] ?? "application/octet-stream";
}
