/**
 * Turns registry rows into entities with their tags, aliases and latest versions, in a few
 * `IN (...)` queries per page.
 */
import { sql } from "kysely";
import { groupBy, loadInChunks } from "./batching.js";
import { MODEL_STAGES, type ModelVersion, type RegisteredModel } from "./entities.js";
import { toModelVersion, toRegisteredModel } from "./entity-mappers.js";
import { DELETED_STAGE } from "./model-stages.js";
import type { Executor, ModelVersionRow, RegisteredModelRow } from "./schema.js";

const versionKey = (name: string, version: number) => `${name}\u0000${Number(version)}`;

/** Model versions with their tags and the aliases pointing at them, in row order. */
export async function loadModelVersions(trx: Executor, rows: ModelVersionRow[]): Promise<ModelVersion[]> {
  if (rows.length === 0) return [];
  const names = rows.map((r) => r.name);
  const wanted = new Set(rows.map((r) => versionKey(r.name, r.version)));
  const [tagRows, aliasRows] = await Promise.all([
    loadInChunks(names, (chunk) =>
      trx.selectFrom("model_version_tags").selectAll().where("name", "in", chunk).orderBy("key").execute(),
    ),
    loadInChunks(names, (chunk) =>
      trx
        .selectFrom("registered_model_aliases")
        .selectAll()
        .where("name", "in", chunk)
        .orderBy("alias")
        .execute(),
    ),
  ]);
  const tags = groupBy(
    tagRows.filter((t) => wanted.has(versionKey(t.name, t.version))),
    (t) => versionKey(t.name, t.version),
  );
  const aliases = groupBy(aliasRows, (a) => versionKey(a.name, a.version));
  return rows.map((row) => {
    const key = versionKey(row.name, row.version);
    return toModelVersion(
      row,
      (tags.get(key) ?? []).map((t) => ({ key: t.key, value: t.value })),
      (aliases.get(key) ?? []).map((a) => a.alias),
    );
  });
}

/** The latest (highest) version of each stage of each named model, deleted versions excluded. */
export async function loadLatestVersionRows(trx: Executor, names: string[]): Promise<ModelVersionRow[]> {
  return loadInChunks(names, (chunk) =>
    trx
      .selectFrom("model_versions as mv")
      .selectAll("mv")
      .where("mv.name", "in", chunk)
      .where("mv.current_stage", "!=", DELETED_STAGE)
      .where(
        "mv.version",
        "=",
        sql<number>`(SELECT MAX(m2.version) FROM model_versions m2 WHERE m2.name = mv.name AND m2.current_stage = mv.current_stage)`,
      )
      .execute(),
  );
}

const stageOrder = (stage: string) => MODEL_STAGES.indexOf(stage as (typeof MODEL_STAGES)[number]);

/** Registered models with latest versions (in stage order), tags and aliases, in row order. */
export async function loadRegisteredModels(
  trx: Executor,
  rows: RegisteredModelRow[],
): Promise<RegisteredModel[]> {
  if (rows.length === 0) return [];
  const names = rows.map((r) => r.name);
  const [tagRows, aliasRows, latestRows] = await Promise.all([
    loadInChunks(names, (chunk) =>
      trx.selectFrom("registered_model_tags").selectAll().where("name", "in", chunk).orderBy("key").execute(),
    ),
    loadInChunks(names, (chunk) =>
      trx
        .selectFrom("registered_model_aliases")
        .selectAll()
        .where("name", "in", chunk)
        .orderBy("alias")
        .execute(),
    ),
    loadLatestVersionRows(trx, names),
  ]);
  latestRows.sort((a, b) => stageOrder(a.current_stage) - stageOrder(b.current_stage));
  const latest = groupBy(await loadModelVersions(trx, latestRows), (v) => v.name);
  const tags = groupBy(tagRows, (t) => t.name);
  const aliases = groupBy(aliasRows, (a) => a.name);
  return rows.map((row) =>
    toRegisteredModel(
      row,
      latest.get(row.name) ?? [],
      (tags.get(row.name) ?? []).map((t) => ({ key: t.key, value: t.value })),
      (aliases.get(row.name) ?? []).map((a) => ({ alias: a.alias, version: String(a.version) })),
    ),
  );
}
