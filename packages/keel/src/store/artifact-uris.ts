/** Artifact URI helpers shared by experiments and runs. */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

// Two or more characters so a Windows drive letter (C:\...) is not read as a scheme.
const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]+:/;

/** Join path segments onto a URI with exactly one `/` between them (`mlflow-artifacts:/` + `0`). */
export function appendToUriPath(base: string, ...segments: string[]): string {
  let out = base;
  for (const segment of segments) out = out.endsWith("/") ? `${out}${segment}` : `${out}/${segment}`;
  return out;
}

/** A plain local path becomes an absolute `file://` URI; URIs are kept as given. */
export function resolveArtifactLocation(location: string): string {
  return SCHEME.test(location) ? location : pathToFileURL(resolve(location)).href;
}
