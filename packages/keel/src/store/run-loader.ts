/**
 * Turns run rows into whole {@link Run} entities: params, latest metrics, tags and dataset inputs
 * for a whole page of runs come from a handful of `IN (...)` queries, never one query per run.
 */
import { groupBy, loadInChunks } from "./batching.js";
import type { DatasetInput, Run, Tag } from "./entities.js";
import { toDataset, toMetric, toRunInfo } from "./entity-mappers.js";
import type { Executor, RunRow } from "./schema.js";

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Load the data and inputs of `rows`, keeping their order. */
export async function loadRuns(trx: Executor, rows: RunRow[]): Promise<Run[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.run_uuid);
  const [params, metrics, tags, inputs] = await Promise.all([
    loadInChunks(ids, (chunk) =>
      trx.selectFrom("params").select(["run_uuid", "key", "value"]).where("run_uuid", "in", chunk).execute(),
    ),
    loadInChunks(ids, (chunk) =>
      trx.selectFrom("latest_metrics").selectAll().where("run_uuid", "in", chunk).execute(),
    ),
    loadInChunks(ids, (chunk) =>
      trx.selectFrom("tags").select(["run_uuid", "key", "value"]).where("run_uuid", "in", chunk).execute(),
    ),
    loadDatasetInputs(trx, ids),
  ]);
  const paramsByRun = groupBy(params, (p) => p.run_uuid);
  const metricsByRun = groupBy(metrics, (m) => m.run_uuid);
  const tagsByRun = groupBy(tags, (t) => t.run_uuid);
  return rows.map((row) => ({
    info: toRunInfo(row),
    data: {
      metrics: (metricsByRun.get(row.run_uuid) ?? []).map(toMetric).sort(byKey),
      params: (paramsByRun.get(row.run_uuid) ?? []).map((p) => ({ key: p.key, value: p.value })).sort(byKey),
      tags: (tagsByRun.get(row.run_uuid) ?? []).map((t) => ({ key: t.key, value: t.value })).sort(byKey),
    },
    inputs: { datasetInputs: inputs.get(row.run_uuid) ?? [] },
  }));
}

/** Dataset inputs per run id: one query for the edges and datasets, one for the input tags. */
async function loadDatasetInputs(trx: Executor, runIds: string[]): Promise<Map<string, DatasetInput[]>> {
  const edges = await loadInChunks(runIds, (chunk) =>
    trx
      .selectFrom("inputs as i")
      .innerJoin("datasets as d", "d.dataset_uuid", "i.source_id")
      .selectAll("d")
      .select(["i.input_uuid", "i.destination_id"])
      .where("i.source_type", "=", "DATASET")
      .where("i.destination_type", "=", "RUN")
      .where("i.destination_id", "in", chunk)
      .orderBy("d.name")
      .orderBy("d.digest")
      .execute(),
  );
  const tagRows = await loadInChunks(
    edges.map((e) => e.input_uuid),
    (chunk) =>
      trx.selectFrom("input_tags").selectAll().where("input_uuid", "in", chunk).orderBy("name").execute(),
  );
  const tagsByInput = groupBy(tagRows, (t) => t.input_uuid);
  const out = new Map<string, DatasetInput[]>();
  for (const edge of edges) {
    const tags: Tag[] = (tagsByInput.get(edge.input_uuid) ?? []).map((t) => ({
      key: t.name,
      value: t.value,
    }));
    const list = out.get(edge.destination_id) ?? [];
    list.push({ dataset: toDataset(edge), tags });
    out.set(edge.destination_id, list);
  }
  return out;
}
