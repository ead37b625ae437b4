import type { RegistryStore } from "./registry-store.js";
import type { TrackingStore } from "./tracking-store.js";

/** The whole metadata store: tracking and registry behind one connection. */
export interface MetadataStore extends TrackingStore, RegistryStore {
  /** Backend kind, for messages and metrics. */
  readonly kind: "sqlite" | "postgresql" | "rest";
  /** Release connections. */
  close(): Promise<void>;
}
