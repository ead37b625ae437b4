/**
 * logInputs: datasets are stored once per (experiment, name, digest) and linked to runs by input
 * edges carrying input tags (e.g. `mlflow.data.context` = train). Logging the same dataset to the
 * same run twice keeps the first edge and its tags, as MLflow does.
 */
import { randomUUID } from "node:crypto";
import type { DatasetInput } from "./entities.js";
import { assertRunActive, getRunRow } from "./runs-repository.js";
import type { Executor } from "./schema.js";

const newUuid = () => randomUUID().replaceAll("-", "");
const pairKey = (name: string, digest: string) => `${name}\u0000${digest}`;

/** Record validated dataset inputs of an active run, within `trx`. */
export async function logInputs(trx: Executor, runId: string, inputs: DatasetInput[]): Promise<void> {
  const run = await getRunRow(trx, runId);
  assertRunActive(run);
  // Keep the first occurrence of each (name, digest) in the request.
  const unique = new Map<string, DatasetInput>();
  for (const input of inputs) {
    const key = pairKey(input.dataset.name, input.dataset.digest);
    if (!unique.has(key)) unique.set(key, input);
  }
  if (unique.size === 0) return;

  const datasetIds = new Map<string, string>();
  for (const [key, { dataset }] of unique) {
    // Insert-if-absent then read back: concurrent writers of the same dataset agree on one row.
    await trx
      .insertInto("datasets")
      .values({
        dataset_uuid: newUuid(),
        experiment_id: run.experiment_id,
        name: dataset.name,
        digest: dataset.digest,
        dataset_source_type: dataset.sourceType,
        dataset_source: dataset.source,
        dataset_schema: dataset.schema ?? null,
        dataset_profile: dataset.profile ?? null,
        version: dataset.version ?? null,
      })
      .onConflict((oc) => oc.columns(["experiment_id", "name", "digest"]).doNothing())
      .execute();
    const stored = await trx
      .selectFrom("datasets")
      .select("dataset_uuid")
      .where("experiment_id", "=", run.experiment_id)
      .where("name", "=", dataset.name)
      .where("digest", "=", dataset.digest)
      .executeTakeFirstOrThrow();
    datasetIds.set(key, stored.dataset_uuid);
  }

  for (const [key, input] of unique) {
    const inputId = newUuid();
    const inserted = await trx
      .insertInto("inputs")
      .values({
        input_uuid: inputId,
        source_type: "DATASET",
        source_id: datasetIds.get(key)!,
        destination_type: "RUN",
        destination_id: run.run_uuid,
      })
      .onConflict((oc) =>
        oc.columns(["source_type", "source_id", "destination_type", "destination_id"]).doNothing(),
      )
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) continue;
    const tags = new Map((input.tags ?? []).map((t) => [t.key, t.value]));
    if (tags.size > 0) {
      await trx
        .insertInto("input_tags")
        .values([...tags].map(([name, value]) => ({ input_uuid: inputId, name, value })))
        .execute();
    }
  }
}
