/** Experiments and their tags. Methods take the open transaction first. */
import { type SqlBool, sql } from "kysely";
import { alreadyExists, invalidParam, KeelError } from "../errors.js";
import { appendToUriPath, resolveArtifactLocation } from "./artifact-uris.js";
import { groupBy, loadInChunks } from "./batching.js";
import { isUniqueViolation } from "./db-errors.js";
import type { Experiment, LifecycleStage, Page, Tag } from "./entities.js";
import { toExperiment } from "./entity-mappers.js";
import { experimentKey } from "./ids.js";
import type { KyselyStoreConfig } from "./kysely-store-config.js";
import type { Executor, ExperimentRow } from "./schema.js";
import type { Comparison, OrderBy } from "./search/filter-ast.js";
import {
  clampMaxResults,
  decodePageToken,
  encodePageToken,
  parseExperimentFilter,
  parseOrderBy,
} from "./search/filter-parser.js";
import { assertNoDuplicateOrderKeys, stagesOf } from "./search-helpers.js";
import { numberPredicate, stringPredicate } from "./sql-predicates.js";
import type { SearchExperimentsOptions } from "./tracking-store.js";
import { validateExperimentName, validateTag } from "./validation.js";

/** The experiment every store has (MLflow's `DEFAULT_EXPERIMENT_ID`). */
export const DEFAULT_EXPERIMENT_ID = "0";

const ORDERABLE_COLUMNS = {
  name: "name",
  experiment_id: "experiment_id",
  creation_time: "creation_time",
  last_update_time: "last_update_time",
} as const;

/** MLflow's check before writing to an experiment. */
export function assertExperimentActive(row: ExperimentRow): void {
  if (row.lifecycle_stage !== "active") {
    throw invalidParam(
      `The experiment ${row.experiment_id} must be in the 'active' state. Current state is ${row.lifecycle_stage}.`,
    );
  }
}

/** Experiment rows, tags and searches. */
export class ExperimentsRepository {
  readonly #config: KyselyStoreConfig;

  constructor(config: KyselyStoreConfig) {
    this.#config = config;
  }

  /** Insert an experiment; its artifact location defaults to `<default root>/<id>`. */
  async create(trx: Executor, name: string, artifactLocation?: string, tags: Tag[] = []): Promise<string> {
    validateExperimentName(name);
    tags.forEach(validateTag);
    if (artifactLocation?.startsWith("runs:")) {
      throw invalidParam(`Artifact location cannot be a runs:/ URI. Given: '${artifactLocation}'`);
    }
    const existing = await trx
      .selectFrom("experiments")
      .select("experiment_id")
      .where("name", "=", name)
      .executeTakeFirst();
    if (existing) throw alreadyExists(`Experiment(name=${name}) already exists.`);
    const now = Date.now();
    let id: number;
    try {
      const inserted = await trx
        .insertInto("experiments")
        .values({
          name,
          artifact_location: artifactLocation ? resolveArtifactLocation(artifactLocation) : "",
          lifecycle_stage: "active",
          creation_time: now,
          last_update_time: now,
        })
        .returning("experiment_id")
        .executeTakeFirstOrThrow();
      id = Number(inserted.experiment_id);
    } catch (e) {
      if (isUniqueViolation(e)) throw alreadyExists(`Experiment(name=${name}) already exists.`);
      throw e;
    }
    if (!artifactLocation) {
      await trx
        .updateTable("experiments")
        .set({ artifact_location: appendToUriPath(this.#config.defaultArtifactRoot, String(id)) })
        .where("experiment_id", "=", id)
        .execute();
    }
    await this.#upsertTags(trx, id, tags);
    return String(id);
  }

  /** The row of an experiment in one of `stages`; RESOURCE_DOES_NOT_EXIST otherwise. */
  async getRow(trx: Executor, experimentId: string, stages?: LifecycleStage[]): Promise<ExperimentRow> {
    const key = experimentKey(experimentId);
    let query = trx.selectFrom("experiments").selectAll().where("experiment_id", "=", key);
    if (stages) query = query.where("lifecycle_stage", "in", stages);
    const row = await query.executeTakeFirst();
    if (!row) throw new KeelError("RESOURCE_DOES_NOT_EXIST", `No Experiment with id=${experimentId} exists`);
    return row;
  }

  /** One experiment with its tags. */
  async get(trx: Executor, experimentId: string): Promise<Experiment> {
    const row = await this.getRow(trx, experimentId);
    return (await this.#withTags(trx, [row]))[0]!;
  }

  /** Experiment by exact name, active or deleted. */
  async getByName(trx: Executor, name: string): Promise<Experiment | null> {
    const row = await trx.selectFrom("experiments").selectAll().where("name", "=", name).executeTakeFirst();
    return row ? (await this.#withTags(trx, [row]))[0]! : null;
  }

  /** MLflow's search_experiments: filter, order (tie-break experiment_id ASC), offset pages. */
  async search(trx: Executor, options: SearchExperimentsOptions = {}): Promise<Page<Experiment>> {
    const maxResults = clampMaxResults(options.maxResults, { default: 1000, max: 50_000 });
    const comparisons = parseExperimentFilter(options.filter);
    const orderBy = parseOrderBy(
      options.orderBy && options.orderBy.length > 0
        ? options.orderBy
        : ["creation_time DESC", "experiment_id ASC"],
      "experiments",
    );
    const offset = decodePageToken(options.pageToken);
    let query = trx
      .selectFrom("experiments as e")
      .selectAll("e")
      .where("e.lifecycle_stage", "in", stagesOf(options.viewType));
    for (const c of comparisons) query = query.where(this.#predicate(c));
    for (const o of withExperimentTieBreak(orderBy)) {
      const column = ORDERABLE_COLUMNS[o.key as keyof typeof ORDERABLE_COLUMNS];
      if (!column) throw invalidParam(`Invalid order_by key '${o.key}' for experiments.`);
      query = query.orderBy(`e.${column}`, o.ascending ? "asc" : "desc");
    }
    const rows = await query
      .limit(maxResults + 1)
      .offset(offset)
      .execute();
    const items = await this.#withTags(trx, rows.slice(0, maxResults));
    return {
      items,
      nextPageToken: rows.length > maxResults ? encodePageToken(offset + maxResults) : undefined,
    };
  }

  /** Soft-delete an active experiment and all its runs (MLflow). The default one is reserved. */
  async delete(trx: Executor, experimentId: string): Promise<void> {
    if (experimentId === DEFAULT_EXPERIMENT_ID) {
      throw invalidParam(
        `Cannot delete the default experiment '${DEFAULT_EXPERIMENT_ID}'. This is an internally reserved experiment.`,
      );
    }
    const row = await this.getRow(trx, experimentId, ["active"]);
    const now = Date.now();
    await trx
      .updateTable("experiments")
      .set({ lifecycle_stage: "deleted", last_update_time: now })
      .where("experiment_id", "=", row.experiment_id)
      .execute();
    await trx
      .updateTable("runs")
      .set({ lifecycle_stage: "deleted", deleted_time: now })
      .where("experiment_id", "=", row.experiment_id)
      .execute();
  }

  /** Restore a deleted experiment and its runs (MLflow restores all of them). */
  async restore(trx: Executor, experimentId: string): Promise<void> {
    const row = await this.getRow(trx, experimentId, ["deleted"]);
    await trx
      .updateTable("experiments")
      .set({ lifecycle_stage: "active", last_update_time: Date.now() })
      .where("experiment_id", "=", row.experiment_id)
      .execute();
    await trx
      .updateTable("runs")
      .set({ lifecycle_stage: "active", deleted_time: null })
      .where("experiment_id", "=", row.experiment_id)
      .execute();
  }

  /** Rename an active experiment; RESOURCE_ALREADY_EXISTS when the name is taken. */
  async rename(trx: Executor, experimentId: string, newName: string): Promise<void> {
    validateExperimentName(newName);
    const row = await this.getRow(trx, experimentId);
    if (row.lifecycle_stage !== "active") {
      throw new KeelError("INVALID_STATE", "Cannot rename a non-active experiment. Restore it first.");
    }
    if (row.name === newName) return;
    const taken = await trx
      .selectFrom("experiments")
      .select("experiment_id")
      .where("name", "=", newName)
      .executeTakeFirst();
    if (taken) throw alreadyExists(`Experiment(name=${newName}) already exists.`);
    await trx
      .updateTable("experiments")
      .set({ name: newName, last_update_time: Date.now() })
      .where("experiment_id", "=", row.experiment_id)
      .execute();
  }

  /** Set (overwrite) one tag of an active experiment. */
  async setTag(trx: Executor, experimentId: string, tag: Tag): Promise<void> {
    validateTag(tag);
    const row = await this.getRow(trx, experimentId);
    assertExperimentActive(row);
    await this.#upsertTags(trx, row.experiment_id, [tag]);
  }

  async #upsertTags(trx: Executor, experimentId: number, tags: Tag[]): Promise<void> {
    // Last value wins when a key repeats, and one statement never touches a row twice.
    const byKey = new Map(tags.map((t) => [t.key, t.value]));
    if (byKey.size === 0) return;
    await trx
      .insertInto("experiment_tags")
      .values([...byKey].map(([key, value]) => ({ experiment_id: experimentId, key, value })))
      .onConflict((oc) =>
        oc.columns(["experiment_id", "key"]).doUpdateSet({ value: (eb) => eb.ref("excluded.value") }),
      )
      .execute();
  }

  #predicate(c: Comparison) {
    const backend = this.#config.backend;
    if (c.entity === "tag") {
      return sql<SqlBool>`EXISTS (SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.experiment_id AND t.key = ${c.key} AND ${stringPredicate(backend, sql.ref("t.value"), c.op, c.value)})`;
    }
    if (c.key === "name") return stringPredicate(backend, sql.ref("e.name"), c.op, c.value);
    if (c.key === "creation_time" || c.key === "last_update_time") {
      return numberPredicate(sql.ref(`e.${c.key}`), c.op, c.value);
    }
    throw invalidParam(`Invalid experiment search key '${c.entity}.${c.key}'.`);
  }

  async #withTags(trx: Executor, rows: ExperimentRow[]): Promise<Experiment[]> {
    const tagRows = await loadInChunks(
      rows.map((r) => r.experiment_id),
      (ids) =>
        trx
          .selectFrom("experiment_tags")
          .selectAll()
          .where("experiment_id", "in", ids)
          .orderBy("key")
          .execute(),
    );
    const tags = groupBy(tagRows, (t) => Number(t.experiment_id));
    return rows.map((row) =>
      toExperiment(
        row,
        (tags.get(Number(row.experiment_id)) ?? []).map((t) => ({ key: t.key, value: t.value })),
      ),
    );
  }
}

/** MLflow appends `experiment_id ASC` unless the caller already orders by it; duplicates are errors. */
function withExperimentTieBreak(orderBy: OrderBy[]): OrderBy[] {
  assertNoDuplicateOrderKeys(orderBy);
  return orderBy.some((o) => o.key === "experiment_id")
    ? orderBy
    : [...orderBy, { entity: "attribute", key: "experiment_id", ascending: true }];
}
