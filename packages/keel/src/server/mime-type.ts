/** Content types for artifact downloads, by file extension (what MLflow's `_guess_mime_type` does). */

const BY_EXTENSION: Readonly<Record<string, string>> = Object.freeze({
  json: "application/json",
  jsonl: "application/jsonl",
  yaml: "text/yaml",
  yml: "text/yaml",
  txt: "text/plain",
  log: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  tsv: "text/tab-separated-values",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  svg: "image/svg+xml",
  pdf: "application/pdf",
  parquet: "application/vnd.apache.parquet",
  onnx: "application/octet-stream",
});

/**
 * The content type to send an artifact with; unknown extensions (and `MLmodel`) are
 * `application/octet-stream`. Downloads are always attachments, so HTML is never rendered.
 * @example
 * guessMimeType("plots/roc.png"); // "image/png"
 */
export function guessMimeType(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return (dot > 0 && BY_EXTENSION[name.slice(dot + 1).toLowerCase()]) || "application/octet-stream";
}
