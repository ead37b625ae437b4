import { isHttpUri } from "../project/keel-config.js";
import type { MetadataStore } from "../store/metadata-store.js";
import { openMetadataStore } from "../store/open-metadata-store.js";
import { openRestMetadataStore } from "../store/rest/rest-metadata-store.js";

/**
 * The metadata store for a tracking URI: `http(s)://` gives the REST store (with the bearer
 * token), anything else the embedded Kysely store, whose experiments default to `artifactRoot`.
 *
 * @example
 * const store = await openTrackingStore("/abs/.keel/keel.db", { artifactRoot: "file:///abs/.keel/artifacts" });
 */
export async function openTrackingStore(
  trackingUri: string,
  options: { token?: string | undefined; artifactRoot?: string | undefined } = {},
): Promise<MetadataStore> {
  if (isHttpUri(trackingUri)) return openRestMetadataStore(trackingUri, { token: options.token });
  return openMetadataStore(trackingUri, { defaultArtifactRoot: options.artifactRoot });
}
