/**
 * Prediction drift needs the model's outputs on the reference. When the reference carries none
 * (a training set), the endpoint's stable version predicts it once with `batchPredict`, and the
 * result is cached per (reference, model version) under the endpoint's monitor folder.
 */
import { createHash } from "node:crypto";
import { rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { DataSession } from "../../data/engine/duckdb-session.js";
import { fetchModelPackage, type ModelSource } from "../../learn/train/fetch-model-package.js";
import { batchPredict } from "../../serve/batch/batch-predict.js";

/** Names `keel predict` and the prediction log give model outputs. */
export const isPredictionColumn = (name: string): boolean =>
  name === "prediction" || name === "label" || name.startsWith("proba_");

/** What makes a cached prediction of the reference stale: the reference and the model. */
async function cacheKey(referenceRef: string, modelRef: string): Promise<string> {
  // A file can change in place; a dataset version cannot.
  const file = await stat(referenceRef).catch(() => null);
  const fileKey = file === null ? "" : `${file.size}:${file.mtimeMs}`;
  return createHash("sha256").update(`${referenceRef}\n${fileKey}\n${modelRef}`).digest("hex").slice(0, 20);
}

/**
 * `reference` with the outputs of `modelRef` beside its columns (a view of `session`), or
 * `reference` itself when it already has output columns.
 */
export async function referenceWithPredictions(
  session: DataSession,
  reference: string,
  options: { referenceRef: string; modelRef: string; source: ModelSource; cacheDir: string },
): Promise<string> {
  const columns = await session.describe(reference);
  if (columns.some((c) => isPredictionColumn(c.name))) return reference;
  const cached = join(
    options.cacheDir,
    `reference-${await cacheKey(options.referenceRef, options.modelRef)}.parquet`,
  );
  if ((await stat(cached).catch(() => null)) === null) {
    const input = join(options.cacheDir, `.reference-input-${process.pid}.parquet`);
    const pkg = await fetchModelPackage(options.source, options.modelRef);
    try {
      await session.writeRelation(reference, input);
      // batchPredict writes to a temp file and renames: a crash never leaves a partial cache.
      await batchPredict({ modelDir: pkg.dir, input, output: cached });
    } finally {
      await rm(input, { force: true });
      await pkg.cleanup();
    }
  }
  return session.relationFrom(cached);
}
