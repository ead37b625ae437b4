import type { DatasetStore } from "./dataset-store.js";
import type { RegistryStore } from "./registry-store.js";
import type { TrackingStore } from "./tracking-store.js";

/** The whole metadata store: tracking, registry and dataset versions behind one connection. */
export interface MetadataStore extends TrackingStore, RegistryStore, DatasetStore {
  /** Backend kind, for messages and metrics. */
  readonly kind: "sqlite" | "postgresql" | "rest";
  /** Release connections. */
  close(): Promise<void>;
}
