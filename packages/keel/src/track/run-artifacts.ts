import type { ArtifactStore } from "../artifacts/artifact-store.js";
import { openArtifactStore } from "../artifacts/open-artifact-store.js";
import { invalidParam } from "../errors.js";
import { openProxyArtifactStore } from "../store/rest/proxy-artifact-store.js";

/**
 * The artifact store rooted at a run's artifact URI. `mlflow-artifacts:` URIs (a remote server
 * that proxies artifacts) go through the server at `trackingUri`; anything else (a folder,
 * `file://`, later `s3://`) is opened directly, as MLflow's client does.
 *
 * @param artifactUri - the run's `artifactUri`.
 * @param trackingUri - the tracking server, needed for `mlflow-artifacts:` URIs.
 * @param token - bearer token for the proxy.
 */
export async function openRunArtifactStore(
  artifactUri: string,
  trackingUri: string,
  token?: string,
): Promise<ArtifactStore> {
  if (!artifactUri.startsWith("mlflow-artifacts:")) return openArtifactStore(artifactUri);
  if (!/^https?:\/\//i.test(trackingUri)) {
    throw invalidParam(
      `Artifact URI ${JSON.stringify(artifactUri)} is served by a tracking server, but the tracking URI ${JSON.stringify(trackingUri)} is not http(s)://; point KEEL_TRACKING_URI at the keel server.`,
    );
  }
  return openProxyArtifactStore(artifactUri, trackingUri, { token });
}
