/**
 * The one contract every MetadataStore implementation must pass. Backend test files call
 * {@link defineMetadataStoreContract} with a factory that opens a fresh, empty store.
 */
import { describe } from "vitest";
import { defineExperimentContract } from "./contract-experiments.js";
import { defineRegistryContract } from "./contract-registry.js";
import { defineRunContract } from "./contract-runs.js";
import { defineSearchContract } from "./contract-search.js";
import type { OpenStore } from "./contract-support.js";

export type { OpenStore } from "./contract-support.js";

/** Register the whole contract suite for the store that `openStore` opens. */
export function defineMetadataStoreContract(label: string, openStore: OpenStore): void {
  describe(`${label} metadata store contract`, () => {
    defineExperimentContract(openStore);
    defineRunContract(openStore);
    defineSearchContract(openStore);
    defineRegistryContract(openStore);
  });
}
