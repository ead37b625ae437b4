import type { FastifyServerOptions } from "fastify";
import type { ArtifactStore } from "../artifacts/artifact-store.js";
import type { MetadataStore } from "../store/metadata-store.js";

/** Options of {@link buildApp}. */
export interface BuildAppOptions {
  /** Tracking and registry metadata. */
  store: MetadataStore;
  /** The artifact store the proxy serves (`--artifacts-destination`). */
  artifacts: ArtifactStore;
  /** When set, every route but `/health` requires `Authorization: Bearer <token>`. */
  token?: string | undefined;
  /** Fastify's logger option (pino options or `false`); default `false`. */
  logger?: FastifyServerOptions["logger"];
  /** Largest JSON request body, in bytes (log-batch has MLflow's 1 MB of its own). */
  jsonBodyLimit?: number | undefined;
  /** Largest artifact upload, in bytes. */
  artifactBodyLimit?: number | undefined;
}

/** Defaults of {@link BuildAppOptions}. */
export const APP_DEFAULTS = Object.freeze({
  /** 16 MiB: far above any MLflow JSON request but bounded. */
  jsonBodyLimit: 16 * 1024 * 1024,
  /** 1 GiB per artifact file. */
  artifactBodyLimit: 1024 * 1024 * 1024,
  /** Artifact paths can be long; find-my-way's default of 100 characters would 404 them. */
  maxParamLength: 8192,
});
