import { invalidParam } from "../errors.js";

/** `C:`, `C:\x`, `C:/x`: a Windows drive prefix makes a path absolute (or drive-relative). */
const WINDOWS_DRIVE = /^[A-Za-z]:/;

/**
 * Check and clean an artifact path so it can never leave the store it is joined to.
 *
 * Backslashes count as separators (a Windows client's `a\b` is `a/b`), empty and `.` segments
 * are dropped, and the result is relative and `/`-separated; `''` is the store root. Paths
 * arrive already percent-decoded: `%2e%2e` is kept as a literal name, while a decoded `..` is
 * rejected like any other.
 *
 * @param p - the path as the caller gave it.
 * @returns the clean relative path, `''` for the root.
 * @throws KeelError INVALID_PARAMETER_VALUE for absolute paths (POSIX, `C:\`, UNC), `..`
 *   segments and NUL bytes; the message names the path and the reason.
 * @example
 * normalizeArtifactPath("model//./model.onnx"); // "model/model.onnx"
 * normalizeArtifactPath("a\\b"); // "a/b"
 */
export function normalizeArtifactPath(p: string): string {
  if (typeof p !== "string") {
    throw invalidParam(`Artifact path must be a string, got ${typeof p}.`);
  }
  const shown = JSON.stringify(p);
  if (p.includes("\0")) {
    throw invalidParam(`Artifact path ${shown} contains a NUL byte; remove it.`);
  }
  const slashed = p.replaceAll("\\", "/");
  if (slashed.startsWith("/") || WINDOWS_DRIVE.test(slashed)) {
    throw invalidParam(
      `Artifact path ${shown} is absolute; give a path relative to the artifact root, e.g. "model/model.onnx".`,
    );
  }
  const segments = slashed.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) {
    throw invalidParam(
      `Artifact path ${shown} contains a ".." segment; artifact paths cannot leave their root.`,
    );
  }
  return segments.join("/");
}

/** Join clean artifact paths, skipping empty ones (the root). */
export function joinArtifactPath(...parts: string[]): string {
  return parts.filter((s) => s !== "").join("/");
}
