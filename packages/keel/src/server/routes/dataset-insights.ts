/**
 * The web UI's dataset pages beyond what `datasets/*` records: the full profile of a version
 * (per-column histograms, quantiles, top categories; the stored summary has none) computed by
 * DuckDB over the version's object in the project's data cache, and the diff of two versions
 * (`keel data diff`). Both read the project the server runs in.
 */
import { z } from "zod";
import type { DatasetProfile } from "../../data/profile/dataset-profile.js";
import { diffVersions } from "../../data/versioning/data-diff.js";
import { objectKey } from "../../data/versioning/object-key.js";
import { tableFormatOf } from "../../data/versioning/tabular-summary.js";
import { workspaceAt } from "../../data/versioning/workspace.js";
import { invalidParam, notFound } from "../../errors.js";
import type { DatasetStore } from "../../store/dataset-store.js";
import { defineRoute, type Route } from "../route.js";
import { serverProjectRoot } from "./ui-support.js";

/** Profiles kept in memory, by content digest (a digest's profile never changes). */
const PROFILE_CACHE_SIZE = 32;
const profiles = new Map<string, Promise<DatasetProfile>>();

/** The full profile of `name@version`, from the data cache of the server's project. */
export async function profileDatasetVersion(
  store: DatasetStore,
  name: string,
  version: number,
): Promise<DatasetProfile> {
  const v = await store.getDatasetVersion(name, version);
  const format = tableFormatOf(v.path);
  if (format === null || v.fileCount !== 1) {
    throw invalidParam(
      `${name}@${version} ('${v.path}') is not a table Keel reads (CSV, TSV, JSON, JSONL, Parquet, Arrow): it has no profile.`,
    );
  }
  const ws = workspaceAt(serverProjectRoot());
  const key = objectKey(v.digest);
  if (!(await ws.cache.has(key))) {
    throw notFound(
      `The data of ${name}@${version} is not in the data cache of ${ws.root}; run 'keel data pull ${name}@${version}' there.`,
    );
  }
  const cached = profiles.get(v.digest);
  if (cached) return cached;
  const made = (async () => {
    const [{ DataSession }, { profileTable }] = await Promise.all([
      import("../../data/engine/duckdb-session.js"),
      import("../../data/profile/profile-table.js"),
    ]);
    const session = await DataSession.open({ threads: 1 });
    try {
      return await profileTable(session, await session.relationFrom(ws.cache.pathOf(key), { format }));
    } finally {
      session.close();
    }
  })();
  profiles.set(v.digest, made);
  made.catch(() => profiles.delete(v.digest));
  if (profiles.size > PROFILE_CACHE_SIZE) profiles.delete(profiles.keys().next().value!);
  return made;
}

const version = z.number();

/** Dataset profile and diff routes. */
export const DATASET_INSIGHT_ROUTES: Route[] = [
  defineRoute({
    rpc: "profileDatasetVersion",
    method: "GET",
    path: "/datasets/versions/profile",
    summary:
      "Full profile of a tabular dataset version (histograms, quantiles, top categories, warnings), from the project's data cache.",
    request: z.object({ name: z.string(), version }),
    handler: async (req, { store }) => ({
      profile: await profileDatasetVersion(store, req.name, req.version),
    }),
  }),
  defineRoute({
    rpc: "diffDatasetVersions",
    method: "GET",
    path: "/datasets/versions/diff",
    summary:
      "What changed from `name@a` to `name@b` (`keel data diff`): files, or schema, rows and column statistics.",
    request: z.object({ name: z.string(), a: version, b: version, key: z.string().optional() }),
    handler: async (req, { store }) => ({
      diff: await diffVersions(
        workspaceAt(serverProjectRoot()),
        store,
        `${req.name}@${req.a}`,
        `${req.name}@${req.b}`,
        { key: req.key || undefined },
      ),
    }),
  }),
];
