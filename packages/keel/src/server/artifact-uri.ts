/**
 * Map the artifact URIs stored on runs and model versions to paths inside the server's
 * artifact store, the way MLflow's server resolves proxied artifact roots.
 */

import { joinArtifactPath, normalizeArtifactPath } from "../artifacts/safe-path.js";
import { invalidParam } from "../errors.js";

/** Where `http(s)://host/api/2.0/mlflow-artifacts/artifacts/<path>` URIs keep their path. */
const PROXY_ANCHOR = "/api/2.0/mlflow-artifacts/artifacts/";

/** Percent-decode, rejecting malformed escapes like MLflow rejects unsafe paths. */
function decode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw invalidParam(`Artifact URI path '${path}' has a malformed percent-escape; encode '%' as '%25'.`);
  }
}

/**
 * The store-relative path of an artifact URI, or null when the URI lives elsewhere.
 *
 * Served: `mlflow-artifacts:/<path>` (and `mlflow-artifacts://host/<path>`), this server's
 * `http(s)://.../api/2.0/mlflow-artifacts/artifacts/<path>`, and URIs under the store's own
 * `rootUri` (e.g. `file:///srv/artifacts/1/<run>/artifacts`).
 * @param uri - a run's `artifact_uri` or a model version's `source`.
 * @param rootUri - the artifact store's `rootUri`.
 * @param relative - an extra path below `uri` (already a clean relative path).
 * @throws KeelError INVALID_PARAMETER_VALUE when the resolved path would leave the store.
 */
export function artifactPathOf(uri: string, rootUri: string, relative = ""): string | null {
  // Parsed by hand, not with URL: URL would resolve `..` segments instead of letting us refuse them.
  let base: string | null = null;
  if (uri.startsWith("mlflow-artifacts:")) {
    base = uri.slice("mlflow-artifacts:".length).replace(/^\/\/[^/]*/, "");
  } else if (/^https?:\/\//.test(uri)) {
    const path = uri.replace(/[?#].*$/, "");
    const at = path.indexOf(PROXY_ANCHOR);
    base = at >= 0 ? path.slice(at + PROXY_ANCHOR.length) : null;
  } else {
    const root = rootUri.replace(/\/+$/, "");
    if (uri === root) base = "";
    else if (uri.startsWith(`${root}/`)) base = uri.slice(root.length + 1);
  }
  if (base === null) return null;
  return joinArtifactPath(normalizeArtifactPath(decode(base).replace(/^\/+/, "")), relative);
}

/**
 * Like {@link artifactPathOf}, but an error naming `owner` when the URI is not served here.
 * @param owner - what the URI belongs to, for the message, e.g. `Run 'abc'`.
 */
export function servedArtifactPath(uri: string, rootUri: string, relative: string, owner: string): string {
  const path = artifactPathOf(uri, rootUri, relative);
  if (path === null) {
    throw invalidParam(
      `${owner} keeps its artifacts at '${uri}', which this server does not serve (its artifact store is ` +
        `'${rootUri}'); read them from that location directly.`,
    );
  }
  return path;
}
