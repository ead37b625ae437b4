/**
 * Opening a reference for drift: a file path, or a recorded dataset version (`NAME@N`,
 * `NAME@latest`) read straight from the content cache after its hash is verified.
 */

import type { DataSession } from "../../data/engine/duckdb-session.js";
import { notInCache } from "../../data/versioning/content-objects.js";
import { parseDatasetRef, resolveVersion } from "../../data/versioning/dataset-ref.js";
import { objectKey } from "../../data/versioning/object-key.js";
import { tableFormatOf } from "../../data/versioning/tabular-summary.js";
import { workspaceAt } from "../../data/versioning/workspace.js";
import { invalidParam } from "../../errors.js";
import type { DatasetStore } from "../../store/dataset-store.js";

/**
 * Registers the data `ref` names as a view of `session` and returns the view.
 * @param store - needed only for `NAME@N` references (null otherwise).
 * @throws KeelError RESOURCE_DOES_NOT_EXIST (unknown version, content not cached, missing file),
 *   INVALID_PARAMETER_VALUE (a version that is not a table).
 */
export async function openDatasetRef(
  session: DataSession,
  ref: string,
  store: () => Promise<DatasetStore>,
): Promise<string> {
  const parsed = parseDatasetRef(ref);
  if (parsed.kind === "path") return session.relationFrom(parsed.path);
  const v = await resolveVersion(await store(), parsed);
  const format = tableFormatOf(v.path);
  if (format === null || v.fileCount !== 1) {
    throw invalidParam(
      `${v.name}@${v.version} (${v.path}) is not a table file; drift needs CSV, Parquet, JSON or Arrow data`,
    );
  }
  const ws = workspaceAt();
  const key = objectKey(v.digest);
  if (!(await ws.cache.has(key))) throw notInCache(`${v.name}@${v.version}`, key, `${v.name}@${v.version}`);
  await ws.cache.verifyFileObject(v.digest);
  return session.relationFrom(ws.cache.pathOf(key), { format });
}
