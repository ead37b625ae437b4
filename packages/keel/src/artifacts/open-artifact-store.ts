import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { invalidParam } from "../errors.js";
import type { ArtifactStore } from "./artifact-store.js";
import { normalizeArtifactPath } from "./safe-path.js";

/** Builds the store for one artifact root URI. */
type StoreFactory = (uri: string) => Promise<ArtifactStore>;

/**
 * Scheme -> factory. Implementations are imported lazily so a backend's dependencies (the AWS
 * SDK, later) load only when a URI asks for it. A plain folder path counts as `file`.
 */
const FACTORIES: Readonly<Record<string, StoreFactory>> = {
  file: async (uri) => {
    const { LocalArtifactStore } = await import("./local-artifact-store.js");
    return new LocalArtifactStore(localPathOf(uri));
  },
  s3: async () => {
    throw invalidParam(
      "S3 artifact stores are not available yet; use a folder path or a file:// URI as the artifact root for now.",
    );
  },
};

/** Schemes `openArtifactStore` accepts, besides a plain folder path. */
export const ARTIFACT_URI_SCHEMES: readonly string[] = Object.freeze(Object.keys(FACTORIES));

/** `scheme:` at the start; one letter is a Windows drive (`C:\x`), not a scheme. */
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]+):/;

/**
 * Open the artifact store for a root URI: a folder path or `file://` URI gives a
 * `LocalArtifactStore`; `s3://` is reserved and fails for now.
 *
 * @param uri - artifact root, e.g. `.keel/artifacts`, `file:///srv/keel/artifacts`.
 * @throws KeelError INVALID_PARAMETER_VALUE for an empty URI, an unsupported scheme (the
 *   message lists the accepted ones) or a `file://` URI that is not a local absolute path.
 */
export async function openArtifactStore(uri: string): Promise<ArtifactStore> {
  return factoryFor(uri)(uri);
}

/**
 * The URI of `relative` under the artifact root `rootUri`, e.g. a run's `model` folder under its
 * artifact URI. `relative` is checked with `normalizeArtifactPath`, so it cannot escape the
 * root. Folder paths and `file://` roots give a canonical `file://` URI.
 *
 * @example
 * resolveArtifactUri("file:///srv/a/1/r1/artifacts", "model"); // "file:///srv/a/1/r1/artifacts/model"
 */
export function resolveArtifactUri(rootUri: string, relative: string): string {
  const rel = normalizeArtifactPath(relative);
  factoryFor(rootUri); // reject unsupported schemes with the same message as openArtifactStore
  if (isLocal(rootUri)) return pathToFileURL(join(localPathOf(rootUri), ...rel.split("/"))).href;
  const base = rootUri.replace(/\/+$/, "");
  return rel === "" ? base : `${base}/${rel}`;
}

/**
 * Split a full artifact URI into the root a store is opened on and a path inside it. For now the
 * whole URI is the root and the path is `''` (a run's artifact URI is its own store root);
 * folder paths and `file://` URIs come back as a canonical `file://` URI.
 */
export function splitArtifactUri(uri: string): { rootUri: string; path: string } {
  factoryFor(uri);
  const rootUri = isLocal(uri) ? pathToFileURL(localPathOf(uri)).href : uri.replace(/\/+$/, "");
  return { rootUri, path: "" };
}

/** Open the store holding a full artifact URI, with the path of the URI inside that store. */
export async function artifactUriToStore(uri: string): Promise<{ store: ArtifactStore; path: string }> {
  const { rootUri, path } = splitArtifactUri(uri);
  return { store: await openArtifactStore(rootUri), path };
}

/** The factory for `uri`, or INVALID_PARAMETER_VALUE naming the URI and the accepted schemes. */
function factoryFor(uri: string): StoreFactory {
  if (typeof uri !== "string" || uri.trim() === "" || uri.includes("\0")) {
    throw invalidParam(
      `Artifact root ${JSON.stringify(uri)} is empty or contains a NUL byte; give a folder path or a file:// URI.`,
    );
  }
  const scheme = schemeOf(uri) ?? "file";
  const factory = Object.hasOwn(FACTORIES, scheme) ? FACTORIES[scheme] : undefined;
  if (factory === undefined) {
    const accepted = ["a folder path", ...ARTIFACT_URI_SCHEMES.map((s) => `${s}://`)].join(", ");
    throw invalidParam(
      `Artifact root ${JSON.stringify(uri)} has the unsupported scheme "${scheme}:"; accepted: ${accepted}.`,
    );
  }
  return factory;
}

/** Lower-cased scheme of `uri`, or null for a plain path. */
function schemeOf(uri: string): string | null {
  return SCHEME.exec(uri)?.[1]?.toLowerCase() ?? null;
}

/** True for a plain folder path or a `file:` URI. */
function isLocal(uri: string): boolean {
  const scheme = schemeOf(uri);
  return scheme === null || scheme === "file";
}

/** The absolute local folder of a plain path or `file://` URI. */
function localPathOf(uri: string): string {
  if (schemeOf(uri) === null) return resolve(uri);
  try {
    return resolve(fileURLToPath(uri));
  } catch {
    throw invalidParam(
      `Artifact root ${JSON.stringify(uri)} is not a local file URI; use file:///absolute/path (no host).`,
    );
  }
}
