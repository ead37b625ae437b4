import type { Command } from "commander";
import type { ArtifactStore } from "../artifacts/artifact-store.js";
import { openArtifactStore } from "../artifacts/open-artifact-store.js";
import {
  isHttpUri,
  loadProject,
  type Project,
  resolveArtifactRoot,
  resolveTrackingUri,
} from "../project/keel-config.js";
import { resolveArtifactLocation } from "../store/artifact-uris.js";
import type { MetadataStore } from "../store/metadata-store.js";
import { openMetadataStore } from "../store/open-metadata-store.js";
import { openProxyArtifactStore } from "../store/rest/proxy-artifact-store.js";
import { Tracker } from "../track/index.js";

/** What a command that touches the store gets: the project, the store and the artifact store. */
export interface CliContext {
  project: Project;
  trackingUri: string;
  store: MetadataStore;
  artifacts: ArtifactStore;
  /** Release the store's connections. */
  close(): Promise<void>;
}

/** Options every store-backed command accepts. */
export interface StoreOptions {
  trackingUri?: string;
}

/** Add `--tracking-uri` to a command. */
export function withStoreOptions(cmd: Command): Command {
  return cmd.option(
    "--tracking-uri <uri>",
    "metadata store: a SQLite path, postgresql://..., or http(s)://host:port (default: KEEL_TRACKING_URI, keel.yaml, .keel/keel.db)",
  );
}

/** Open the project's store and artifact store; the caller must `close()`. */
export async function openCliContext(options: StoreOptions): Promise<CliContext> {
  const project = loadProject();
  const trackingUri = resolveTrackingUri(project, options.trackingUri);
  const remote = isHttpUri(trackingUri);
  const artifactRoot = resolveArtifactRoot(project);
  const store = await openMetadataStore(trackingUri, {
    defaultArtifactRoot: remote ? undefined : resolveArtifactLocation(artifactRoot),
  });
  try {
    // Remote mode: artifacts go through the server's mlflow-artifacts proxy, never a local folder.
    const artifacts = remote
      ? openProxyArtifactStore("mlflow-artifacts:/", trackingUri, { token: process.env.KEEL_TRACKING_TOKEN })
      : await openArtifactStore(artifactRoot);
    return { project, trackingUri, store, artifacts, close: () => store.close() };
  } catch (e) {
    await store.close();
    throw e;
  }
}

/** Run `fn` with an open context and always close it. */
export async function withContext<T>(options: StoreOptions, fn: (ctx: CliContext) => Promise<T>): Promise<T> {
  const ctx = await openCliContext(options);
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

/** Run `fn` with a {@link Tracker} on the command's store (project defaults, `--tracking-uri`) and always close it. */
export async function withTracker<T>(opts: StoreOptions, fn: (tracker: Tracker) => Promise<T>): Promise<T> {
  const tracker = await Tracker.open({ trackingUri: opts.trackingUri });
  try {
    return await fn(tracker);
  } finally {
    await tracker.close();
  }
}
