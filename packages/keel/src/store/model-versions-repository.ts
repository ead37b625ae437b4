/** Model versions and their tags. Methods take the open transaction first. */
import { type SqlBool, sql } from "kysely";
import { invalidParam, notFound } from "../errors.js";
import type { ModelVersion, Page, Tag } from "./entities.js";
import { dropAliasesOfVersion } from "./model-aliases-repository.js";
import { ACTIVE_STAGES, canonicalStage, DELETED_STAGE } from "./model-stages.js";
import { loadModelVersions } from "./registry-loader.js";
import { getModelVersionRow } from "./registry-rows.js";
import type { CreateModelVersionOptions, SearchRegistryOptions } from "./registry-store.js";
import type { Executor, SqlBackend } from "./schema.js";
import type { Comparison } from "./search/filter-ast.js";
import {
  clampMaxResults,
  decodePageToken,
  encodePageToken,
  parseModelVersionFilter,
  parseOrderBy,
} from "./search/filter-parser.js";
import { assertNoDuplicateOrderKeys } from "./search-helpers.js";
import { numberPredicate, stringPredicate, textOrder } from "./sql-predicates.js";
import { validateModelName, validateRegistryTag, validateTagKey } from "./validation.js";

const ORDER_COLUMNS: Record<string, string> = {
  name: "name",
  version_number: "version",
  creation_timestamp: "creation_time",
  last_updated_timestamp: "last_updated_time",
};
const STRING_FILTER_COLUMNS: Record<string, string> = {
  name: "name",
  run_id: "run_id",
  source_path: "source",
};
const DEFAULT_ORDER = ["last_updated_timestamp DESC", "name ASC", "version_number DESC"];

/** Model versions. */
export class ModelVersionsRepository {
  readonly #backend: SqlBackend;

  constructor(backend: SqlBackend) {
    this.#backend = backend;
  }

  /** Create the next version of a model (max existing + 1, deleted ones included), status READY. */
  async create(trx: Executor, options: CreateModelVersionOptions): Promise<ModelVersion> {
    validateModelName(options.name);
    for (const tag of options.tags ?? []) validateRegistryTag("Model version", tag);
    if (typeof options.source !== "string" || options.source === "") {
      throw invalidParam("Model version source cannot be empty: pass the artifact URI of the model package.");
    }
    const now = Date.now();
    // Touching the model row first locks it on PostgreSQL, so concurrent creates number in turn
    // (SQLite write transactions are already serialised by BEGIN IMMEDIATE).
    const touched = await trx
      .updateTable("registered_models")
      .set({ last_updated_time: now })
      .where("name", "=", options.name)
      .executeTakeFirst();
    if (Number(touched.numUpdatedRows) === 0)
      throw notFound(`Registered Model with name=${options.name} not found`);
    const { max } = await trx
      .selectFrom("model_versions")
      .select((eb) => eb.fn.max("version").as("max"))
      .where("name", "=", options.name)
      .executeTakeFirstOrThrow();
    const version = Number(max ?? 0) + 1;
    await trx
      .insertInto("model_versions")
      .values({
        name: options.name,
        version,
        creation_time: now,
        last_updated_time: now,
        description: options.description ?? null,
        user_id: options.userId ?? null,
        current_stage: "None",
        source: options.source,
        run_id: options.runId ?? null,
        run_link: options.runLink ?? null,
        status: "READY",
        status_message: null,
      })
      .execute();
    await this.#upsertTags(trx, options.name, version, options.tags ?? []);
    return this.get(trx, options.name, String(version));
  }

  /** One version with tags and aliases. */
  async get(trx: Executor, name: string, version: string): Promise<ModelVersion> {
    return (await loadModelVersions(trx, [await getModelVersionRow(trx, name, version)]))[0]!;
  }

  /** Change the description. */
  async update(trx: Executor, name: string, version: string, description: string): Promise<ModelVersion> {
    const row = await getModelVersionRow(trx, name, version);
    await trx
      .updateTable("model_versions")
      .set({ description, last_updated_time: Date.now() })
      .where("name", "=", row.name)
      .where("version", "=", row.version)
      .execute();
    return this.get(trx, name, version);
  }

  /** Move to a stage; with `archiveExisting`, other versions in that (Staging/Production) stage are archived. */
  async transition(
    trx: Executor,
    name: string,
    version: string,
    stage: string,
    archiveExisting: boolean,
  ): Promise<ModelVersion> {
    const target = canonicalStage(stage);
    if (archiveExisting && !ACTIVE_STAGES.includes(target)) {
      throw invalidParam(
        `Model version transition cannot archive existing model versions because '${stage}' is not an Active stage. Valid stages are ${ACTIVE_STAGES.join(", ")}`,
      );
    }
    const row = await getModelVersionRow(trx, name, version);
    const now = Date.now();
    if (archiveExisting) {
      await trx
        .updateTable("model_versions")
        .set({ current_stage: "Archived", last_updated_time: now })
        .where("name", "=", row.name)
        .where("version", "!=", row.version)
        .where("current_stage", "=", target)
        .execute();
    }
    await trx
      .updateTable("model_versions")
      .set({ current_stage: target, last_updated_time: now })
      .where("name", "=", row.name)
      .where("version", "=", row.version)
      .execute();
    await trx
      .updateTable("registered_models")
      .set({ last_updated_time: now })
      .where("name", "=", row.name)
      .execute();
    return this.get(trx, name, version);
  }

  /**
   * Delete a version as MLflow does: the row stays, redacted and marked deleted, so its number is
   * never reused; its aliases are removed (and recorded in the alias history).
   */
  async delete(trx: Executor, name: string, version: string): Promise<void> {
    const row = await getModelVersionRow(trx, name, version);
    const now = Date.now();
    await dropAliasesOfVersion(trx, row.name, row.version);
    await trx
      .updateTable("model_versions")
      .set({
        current_stage: DELETED_STAGE,
        last_updated_time: now,
        description: null,
        user_id: null,
        source: "REDACTED-SOURCE-PATH",
        run_id: "REDACTED-RUN-ID",
        run_link: "REDACTED-RUN-LINK",
        status_message: null,
      })
      .where("name", "=", row.name)
      .where("version", "=", row.version)
      .execute();
    await trx
      .updateTable("registered_models")
      .set({ last_updated_time: now })
      .where("name", "=", row.name)
      .execute();
  }

  /** Set (overwrite) a tag. */
  async setTag(trx: Executor, name: string, version: string, tag: Tag): Promise<void> {
    validateRegistryTag("Model version", tag);
    const row = await getModelVersionRow(trx, name, version);
    await this.#upsertTags(trx, row.name, row.version, [tag]);
  }

  /** Delete a tag; a tag that is not set is ignored (MLflow). */
  async deleteTag(trx: Executor, name: string, version: string, key: string): Promise<void> {
    validateTagKey(key);
    const row = await getModelVersionRow(trx, name, version);
    await trx
      .deleteFrom("model_version_tags")
      .where("name", "=", row.name)
      .where("version", "=", row.version)
      .where("key", "=", key)
      .execute();
  }

  /** MLflow's search_model_versions (deleted versions excluded). */
  async search(trx: Executor, options: SearchRegistryOptions = {}): Promise<Page<ModelVersion>> {
    const maxResults = clampMaxResults(options.maxResults, { default: 10_000, max: 200_000 });
    const comparisons = parseModelVersionFilter(options.filter);
    const orderBy = parseOrderBy(
      options.orderBy && options.orderBy.length > 0 ? options.orderBy : DEFAULT_ORDER,
      "model_versions",
    );
    assertNoDuplicateOrderKeys(orderBy);
    const offset = decodePageToken(options.pageToken);
    let query = trx
      .selectFrom("model_versions as mv")
      .selectAll("mv")
      .where("mv.current_stage", "!=", DELETED_STAGE);
    for (const c of comparisons) query = query.where(this.#predicate(c));
    for (const o of orderBy) {
      const column = ORDER_COLUMNS[o.key];
      if (!column) throw invalidParam(`Invalid order by key '${o.key}' specified.`);
      const ref = sql.ref(`mv.${column}`);
      query = query.orderBy(
        column === "name" ? textOrder(this.#backend, ref) : ref,
        o.ascending ? "asc" : "desc",
      );
    }
    if (!orderBy.some((o) => o.key === "name"))
      query = query.orderBy(textOrder(this.#backend, sql.ref("mv.name")), "asc");
    if (!orderBy.some((o) => o.key === "version_number")) query = query.orderBy("mv.version", "desc");
    const rows = await query
      .limit(maxResults + 1)
      .offset(offset)
      .execute();
    return {
      items: await loadModelVersions(trx, rows.slice(0, maxResults)),
      nextPageToken: rows.length > maxResults ? encodePageToken(offset + maxResults) : undefined,
    };
  }

  #predicate(c: Comparison) {
    if (c.entity === "tag") {
      return sql<SqlBool>`EXISTS (SELECT 1 FROM model_version_tags t WHERE t.name = mv.name AND t.version = mv.version AND t.key = ${c.key} AND ${stringPredicate(this.#backend, sql.ref("t.value"), c.op, c.value)})`;
    }
    if (c.entity === "attribute") {
      const column = STRING_FILTER_COLUMNS[c.key];
      if (column) return stringPredicate(this.#backend, sql.ref(`mv.${column}`), c.op, c.value);
      if (c.key === "version_number") return numberPredicate(sql.ref("mv.version"), c.op, c.value);
    }
    throw invalidParam(
      `Invalid attribute name: ${c.key}. Model versions can be searched by name, run_id, source_path, version_number and tags.`,
    );
  }

  async #upsertTags(trx: Executor, name: string, version: number, tags: Tag[]): Promise<void> {
    const byKey = new Map(tags.map((t) => [t.key, t.value]));
    if (byKey.size === 0) return;
    await trx
      .insertInto("model_version_tags")
      .values([...byKey].map(([key, value]) => ({ name, version, key, value })))
      .onConflict((oc) =>
        oc.columns(["name", "version", "key"]).doUpdateSet({ value: (eb) => eb.ref("excluded.value") }),
      )
      .execute();
  }
}
