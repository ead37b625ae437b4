import type { DatasetInput, ModelVersion, Run } from "../store/entities.js";
import type { MetadataStore } from "../store/metadata-store.js";

/** Where a model version came from: the version, its run (and ancestors), and their datasets. */
export interface Lineage {
  modelVersion: ModelVersion;
  /** The producing run, or null when registered from a folder. */
  run: Run | null;
  /** Parent runs of the producing run, nearest first (a search trial's search run, etc.). */
  ancestors: Run[];
  /** Dataset inputs of the run and its ancestors, deduplicated by name and digest. */
  datasets: DatasetInput[];
}

/** Answer "which data made this model": version -> run -> dataset versions. */
export async function getLineage(store: MetadataStore, name: string, version: string): Promise<Lineage> {
  const modelVersion = await store.getModelVersion(name, version);
  if (!modelVersion.runId) return { modelVersion, run: null, ancestors: [], datasets: [] };
  const run = await store.getRun(modelVersion.runId);
  const ancestors: Run[] = [];
  const seenRuns = new Set([run.info.runId]);
  for (let parent = run.info.parentRunId; parent !== null && !seenRuns.has(parent); ) {
    seenRuns.add(parent);
    const p = await store.getRun(parent);
    ancestors.push(p);
    parent = p.info.parentRunId;
  }
  const datasets: DatasetInput[] = [];
  const seen = new Set<string>();
  for (const r of [run, ...ancestors]) {
    for (const input of r.inputs.datasetInputs) {
      const key = `${input.dataset.name}\u0000${input.dataset.digest}`;
      if (!seen.has(key)) {
        seen.add(key);
        datasets.push(input);
      }
    }
  }
  return { modelVersion, run, ancestors, datasets };
}
