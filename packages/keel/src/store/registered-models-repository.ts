/** Registered models and their tags. Methods take the open transaction first. */
import { type SqlBool, sql } from "kysely";
import { alreadyExists, invalidParam } from "../errors.js";
import { isUniqueViolation } from "./db-errors.js";
import type { ModelVersion, Page, RegisteredModel, Tag } from "./entities.js";
import { canonicalStage } from "./model-stages.js";
import { loadLatestVersionRows, loadModelVersions, loadRegisteredModels } from "./registry-loader.js";
import { getRegisteredModelRow } from "./registry-rows.js";
import type { SearchRegistryOptions } from "./registry-store.js";
import type { Executor, SqlBackend } from "./schema.js";
import type { Comparison } from "./search/filter-ast.js";
import {
  clampMaxResults,
  decodePageToken,
  encodePageToken,
  parseModelFilter,
  parseOrderBy,
} from "./search/filter-parser.js";
import { assertNoDuplicateOrderKeys } from "./search-helpers.js";
import { stringPredicate, textOrder } from "./sql-predicates.js";
import { validateModelName, validateRegistryTag, validateTagKey } from "./validation.js";

const ORDER_COLUMNS: Record<string, string> = {
  name: "name",
  creation_timestamp: "creation_time",
  last_updated_timestamp: "last_updated_time",
};

/** Registered models. */
export class RegisteredModelsRepository {
  readonly #backend: SqlBackend;

  constructor(backend: SqlBackend) {
    this.#backend = backend;
  }

  /** Create a model; RESOURCE_ALREADY_EXISTS when the name is taken. */
  async create(
    trx: Executor,
    name: string,
    tags: Tag[] = [],
    description?: string,
  ): Promise<RegisteredModel> {
    validateModelName(name);
    for (const tag of tags) validateRegistryTag("Registered model", tag);
    const taken = await trx
      .selectFrom("registered_models")
      .select("name")
      .where("name", "=", name)
      .executeTakeFirst();
    if (taken) throw alreadyExists(`Registered Model (name=${name}) already exists.`);
    const now = Date.now();
    try {
      await trx
        .insertInto("registered_models")
        .values({ name, creation_time: now, last_updated_time: now, description: description ?? null })
        .execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw alreadyExists(`Registered Model (name=${name}) already exists.`);
      throw e;
    }
    await this.#upsertTags(trx, name, tags);
    return this.get(trx, name);
  }

  /** One model with latest versions, tags and aliases. */
  async get(trx: Executor, name: string): Promise<RegisteredModel> {
    return (await loadRegisteredModels(trx, [await getRegisteredModelRow(trx, name)]))[0]!;
  }

  /** Rename; versions, tags, aliases and alias history follow through ON UPDATE CASCADE. */
  async rename(trx: Executor, name: string, newName: string): Promise<RegisteredModel> {
    validateModelName(newName);
    const row = await getRegisteredModelRow(trx, name);
    if (newName === name) return this.get(trx, name);
    const taken = await trx
      .selectFrom("registered_models")
      .select("name")
      .where("name", "=", newName)
      .executeTakeFirst();
    if (taken) throw alreadyExists(`Registered Model (name=${newName}) already exists.`);
    const now = Date.now();
    await trx
      .updateTable("registered_models")
      .set({ name: newName, last_updated_time: now })
      .where("name", "=", row.name)
      .execute();
    await trx
      .updateTable("model_versions")
      .set({ last_updated_time: now })
      .where("name", "=", newName)
      .execute();
    return this.get(trx, newName);
  }

  /** Change the description. */
  async update(trx: Executor, name: string, description: string): Promise<RegisteredModel> {
    const row = await getRegisteredModelRow(trx, name);
    await trx
      .updateTable("registered_models")
      .set({ description, last_updated_time: Date.now() })
      .where("name", "=", row.name)
      .execute();
    return this.get(trx, name);
  }

  /** Delete the model; versions, tags, aliases and alias history go with it (ON DELETE CASCADE). */
  async delete(trx: Executor, name: string): Promise<void> {
    const row = await getRegisteredModelRow(trx, name);
    await trx.deleteFrom("registered_models").where("name", "=", row.name).execute();
  }

  /** Latest version per stage, optionally only of `stages` (matched case-insensitively). */
  async getLatestVersions(trx: Executor, name: string, stages?: string[]): Promise<ModelVersion[]> {
    const row = await getRegisteredModelRow(trx, name);
    const wanted = stages && stages.length > 0 ? new Set(stages.map(canonicalStage)) : undefined;
    const rows = (await loadLatestVersionRows(trx, [row.name])).filter(
      (v) => !wanted || wanted.has(v.current_stage as never),
    );
    rows.sort((a, b) => a.version - b.version);
    return loadModelVersions(trx, rows);
  }

  /** Set (overwrite) a tag. */
  async setTag(trx: Executor, name: string, tag: Tag): Promise<void> {
    validateRegistryTag("Registered model", tag);
    const row = await getRegisteredModelRow(trx, name);
    await this.#upsertTags(trx, row.name, [tag]);
  }

  /** Delete a tag; a tag that is not set is ignored (MLflow). */
  async deleteTag(trx: Executor, name: string, key: string): Promise<void> {
    validateTagKey(key);
    const row = await getRegisteredModelRow(trx, name);
    await trx
      .deleteFrom("registered_model_tags")
      .where("name", "=", row.name)
      .where("key", "=", key)
      .execute();
  }

  /** MLflow's search_registered_models: default order name ASC, 100 per page, at most 1000. */
  async search(trx: Executor, options: SearchRegistryOptions = {}): Promise<Page<RegisteredModel>> {
    const maxResults = clampMaxResults(options.maxResults, { default: 100, max: 1000 });
    const comparisons = parseModelFilter(options.filter);
    const orderBy = parseOrderBy(options.orderBy, "models");
    assertNoDuplicateOrderKeys(orderBy);
    const offset = decodePageToken(options.pageToken);
    let query = trx.selectFrom("registered_models as rm").selectAll("rm");
    for (const c of comparisons) query = query.where(this.#predicate(c));
    for (const o of orderBy) {
      const column = ORDER_COLUMNS[o.key];
      if (!column)
        throw invalidParam(
          `Invalid order by key '${o.key}' specified. Valid keys are name, last_updated_timestamp.`,
        );
      const ref = sql.ref(`rm.${column}`);
      query = query.orderBy(
        column === "name" ? textOrder(this.#backend, ref) : ref,
        o.ascending ? "asc" : "desc",
      );
    }
    if (!orderBy.some((o) => o.key === "name"))
      query = query.orderBy(textOrder(this.#backend, sql.ref("rm.name")), "asc");
    const rows = await query
      .limit(maxResults + 1)
      .offset(offset)
      .execute();
    return {
      items: await loadRegisteredModels(trx, rows.slice(0, maxResults)),
      nextPageToken: rows.length > maxResults ? encodePageToken(offset + maxResults) : undefined,
    };
  }

  #predicate(c: Comparison) {
    if (c.entity === "tag") {
      return sql<SqlBool>`EXISTS (SELECT 1 FROM registered_model_tags t WHERE t.name = rm.name AND t.key = ${c.key} AND ${stringPredicate(this.#backend, sql.ref("t.value"), c.op, c.value)})`;
    }
    if (c.entity === "attribute" && c.key === "name")
      return stringPredicate(this.#backend, sql.ref("rm.name"), c.op, c.value);
    throw invalidParam(
      `Invalid attribute name: ${c.key}. Registered models can be searched by name and tags.`,
    );
  }

  async #upsertTags(trx: Executor, name: string, tags: Tag[]): Promise<void> {
    const byKey = new Map(tags.map((t) => [t.key, t.value]));
    if (byKey.size === 0) return;
    await trx
      .insertInto("registered_model_tags")
      .values([...byKey].map(([key, value]) => ({ name, key, value })))
      .onConflict((oc) =>
        oc.columns(["name", "key"]).doUpdateSet({ value: (eb) => eb.ref("excluded.value") }),
      )
      .execute();
  }
}
