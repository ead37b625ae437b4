/**
 * A small history router: the URL is the state (shareable links), read with {@link useLocation}
 * and changed with {@link navigate}. The server answers every path of {@link SECTIONS} with
 * index.html: both import the one list, `packages/keel/src/server/ui/ui-sections.ts`.
 */
import { useSyncExternalStore } from "react";
import { UI_SECTIONS } from "../../keel/src/server/ui/ui-sections.js";

/** Top-level sections, each a page of the UI. */
export const SECTIONS = UI_SECTIONS;

const CHANGE = "keel:navigate";

function subscribe(onChange: () => void): () => void {
  window.addEventListener("popstate", onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

const href = () => location.pathname + location.search;

/** The current location: path segments and query. */
export interface Location {
  path: string;
  segments: string[];
  query: URLSearchParams;
}

/** The current location; re-renders on navigation. */
export function useLocation(): Location {
  const current = useSyncExternalStore(subscribe, href);
  const url = new URL(current, location.origin);
  return {
    path: url.pathname,
    segments: url.pathname.split("/").filter(Boolean).map(decodeURIComponent),
    query: url.searchParams,
  };
}

/** Go to `to` (a path with an optional query); `replace` keeps the history entry. */
export function navigate(to: string, replace = false): void {
  if (to === href()) return;
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  window.dispatchEvent(new Event(CHANGE));
  if (!replace) window.scrollTo(0, 0);
}

/** A path built from segments, each encoded. */
export function pathOf(...segments: (string | number)[]): string {
  return `/${segments.map((s) => encodeURIComponent(String(s))).join("/")}`;
}
