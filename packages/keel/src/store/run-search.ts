/**
 * SQL for searchRuns. Each filter clause becomes one predicate on the `runs r` row: attributes
 * compare columns, metrics/params/tags/datasets are EXISTS subqueries that hit the (run_uuid, key)
 * primary keys.
 * Semantics follow MLflow's SqlAlchemyStore:
 * - metrics compare their latest value; a run without the key never matches (also for `!=`);
 *   NaN matches only `!=`;
 * - order_by puts runs without the key last (and NaN metrics after numbers, before missing), then
 *   breaks ties by start_time DESC (unless ordered by it) and run_uuid ASC.
 * Ordering by a metric, param or tag LEFT JOINs its table once on the same primary key.
 */
import { type RawBuilder, type SqlBool, sql } from "kysely";
import { invalidParam } from "../errors.js";
import { loadInChunks } from "./batching.js";
import { parseExperimentId } from "./ids.js";
import { DATASET_CONTEXT_TAG } from "./run-tags.js";
import type { Executor, RunRow, SqlBackend } from "./schema.js";
import type { Comparison, OrderBy } from "./search/filter-ast.js";
import {
  clampMaxResults,
  decodePageToken,
  encodePageToken,
  parseOrderBy,
  parseRunFilter,
} from "./search/filter-parser.js";
import { assertNoDuplicateOrderKeys, stagesOf } from "./search-helpers.js";
import { numberPredicate, stringPredicate, textOrder } from "./sql-predicates.js";
import type { SearchRunsOptions } from "./tracking-store.js";

/** Run attributes and their columns. */
const STRING_ATTRIBUTES: Record<string, string> = {
  run_id: "run_uuid",
  run_name: "run_name",
  status: "status",
  user_id: "user_id",
  artifact_uri: "artifact_uri",
  lifecycle_stage: "lifecycle_stage",
};
const NUMERIC_ATTRIBUTES: Record<string, string> = { start_time: "start_time", end_time: "end_time" };
const NULLABLE_COLUMNS = new Set(["end_time"]);

/** One page of run rows. */
export interface RunRowPage {
  rows: RunRow[];
  nextPageToken?: string | undefined;
}

function metricPredicate(c: Comparison): RawBuilder<SqlBool> {
  const compare = numberPredicate(sql.ref("m.value"), c.op, c.value);
  // NaN is unordered: it differs from everything and compares with nothing.
  const valueTest = c.op === "!=" ? sql`(m.is_nan = 1 OR ${compare})` : sql`(m.is_nan = 0 AND ${compare})`;
  return sql<SqlBool>`EXISTS (SELECT 1 FROM latest_metrics m WHERE m.run_uuid = r.run_uuid AND m.key = ${c.key} AND ${valueTest})`;
}

function datasetPredicate(backend: SqlBackend, c: Comparison): RawBuilder<SqlBool> {
  const edge = sql`i.source_type = 'DATASET' AND i.destination_type = 'RUN' AND i.destination_id = r.run_uuid`;
  if (c.key === "context") {
    const test = stringPredicate(backend, sql.ref("it.value"), c.op, c.value);
    return sql<SqlBool>`EXISTS (SELECT 1 FROM inputs i JOIN input_tags it ON it.input_uuid = i.input_uuid WHERE ${edge} AND it.name = ${DATASET_CONTEXT_TAG} AND ${test})`;
  }
  if (c.key !== "name" && c.key !== "digest") {
    throw invalidParam(
      `Invalid dataset search key '${c.key}': use datasets.name, datasets.digest or datasets.context.`,
    );
  }
  const test = stringPredicate(backend, sql.ref(`d.${c.key}`), c.op, c.value);
  return sql<SqlBool>`EXISTS (SELECT 1 FROM inputs i JOIN datasets d ON d.dataset_uuid = i.source_id WHERE ${edge} AND ${test})`;
}

/** The SQL predicate of one parsed filter clause, over `runs r`. */
export function runPredicate(backend: SqlBackend, c: Comparison): RawBuilder<SqlBool> {
  switch (c.entity) {
    case "metric":
      return metricPredicate(c);
    case "param":
      return sql<SqlBool>`EXISTS (SELECT 1 FROM params p WHERE p.run_uuid = r.run_uuid AND p.key = ${c.key} AND ${stringPredicate(backend, sql.ref("p.value"), c.op, c.value)})`;
    case "tag":
      return sql<SqlBool>`EXISTS (SELECT 1 FROM tags t WHERE t.run_uuid = r.run_uuid AND t.key = ${c.key} AND ${stringPredicate(backend, sql.ref("t.value"), c.op, c.value)})`;
    case "dataset":
      return datasetPredicate(backend, c);
    case "attribute": {
      const stringColumn = STRING_ATTRIBUTES[c.key];
      if (stringColumn) return stringPredicate(backend, sql.ref(`r.${stringColumn}`), c.op, c.value);
      const numberColumn = NUMERIC_ATTRIBUTES[c.key];
      if (numberColumn) return numberPredicate(sql.ref(`r.${numberColumn}`), c.op, c.value);
      throw invalidParam(`Invalid attribute key '${c.key}' in the run filter.`);
    }
    default:
      throw invalidParam(`Invalid search expression type '${String(c.entity)}'.`);
  }
}

/** How one order_by clause sorts: an optional LEFT JOIN and `[expression, ascending]` terms. */
interface OrderPlan {
  join?: RawBuilder<unknown>;
  terms: Array<[RawBuilder<unknown>, boolean]>;
}

/**
 * Rank terms put runs that have a value first (then NaN metrics), runs without the key last, in
 * both directions, as MLflow's CASE columns do; the value term follows in the asked direction.
 */
function orderPlan(backend: SqlBackend, o: OrderBy, index: number): OrderPlan {
  if (o.entity === "attribute") {
    const column = STRING_ATTRIBUTES[o.key] ?? NUMERIC_ATTRIBUTES[o.key];
    if (!column) throw invalidParam(`Invalid order_by attribute '${o.key}' for runs.`);
    const ref = sql.ref(`r.${column}`);
    const value: RawBuilder<unknown> = STRING_ATTRIBUTES[o.key] ? textOrder(backend, ref) : sql`${ref}`;
    const terms: OrderPlan["terms"] = [[value, o.ascending]];
    if (NULLABLE_COLUMNS.has(column)) terms.unshift([sql`CASE WHEN ${ref} IS NULL THEN 1 ELSE 0 END`, true]);
    return { terms };
  }
  const table = { metric: "latest_metrics", param: "params", tag: "tags" }[o.entity as string];
  if (!table) throw invalidParam(`Runs cannot be ordered by ${o.entity} keys.`);
  const alias = `o${index}`;
  const join = sql`LEFT JOIN ${sql.table(table)} ${sql.raw(alias)} ON ${sql.ref(`${alias}.run_uuid`)} = r.run_uuid AND ${sql.ref(`${alias}.key`)} = ${o.key}`;
  const value = sql.ref(`${alias}.value`);
  if (o.entity === "metric") {
    return {
      join,
      terms: [
        [sql`COALESCE(${sql.ref(`${alias}.is_nan`)}, 2)`, true],
        [sql`${value}`, o.ascending],
      ],
    };
  }
  return {
    join,
    terms: [
      [sql`CASE WHEN ${value} IS NULL THEN 1 ELSE 0 END`, true],
      [textOrder(backend, value), o.ascending],
    ],
  };
}

/**
 * Find one page of run rows matching `options`. Two steps: the filtered, ordered scan selects only
 * run ids (it can run on indexes alone and sorts narrow rows), then the page's rows are read by id.
 */
export async function searchRunRows(
  trx: Executor,
  backend: SqlBackend,
  options: SearchRunsOptions,
): Promise<RunRowPage> {
  const maxResults = clampMaxResults(options.maxResults, { default: 1000, max: 50_000 });
  const comparisons = parseRunFilter(options.filter);
  const orderBy = parseOrderBy(options.orderBy, "runs");
  assertNoDuplicateOrderKeys(orderBy);
  const offset = decodePageToken(options.pageToken);
  const experimentIds = (options.experimentIds ?? [])
    .map(parseExperimentId)
    .filter((id): id is number => id !== null);
  if (experimentIds.length === 0) return { rows: [] };

  const where: RawBuilder<unknown>[] = [
    sql`r.experiment_id IN (${sql.join(experimentIds)})`,
    sql`r.lifecycle_stage IN (${sql.join(stagesOf(options.runViewType))})`,
    ...comparisons.map((c) => runPredicate(backend, c)),
  ];
  const plans = orderBy.map((o, i) => orderPlan(backend, o, i));
  const terms = plans.flatMap((p) => p.terms);
  if (!orderBy.some((o) => o.entity === "attribute" && o.key === "start_time")) {
    terms.push([sql`r.start_time`, false]);
  }
  terms.push([textOrder(backend, sql.ref("r.run_uuid")), true]);
  const joins = plans.flatMap((p) => (p.join ? [p.join] : []));

  const { rows: ids } = await sql<{ run_uuid: string }>`SELECT r.run_uuid FROM runs r
    ${joins.length > 0 ? sql.join(joins, sql` `) : sql``}
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY ${sql.join(
      terms.map(([expr, ascending]) => sql`${expr} ${sql.raw(ascending ? "ASC" : "DESC")}`),
      sql`, `,
    )}
    LIMIT ${maxResults + 1} OFFSET ${offset}`.execute(trx);

  const pageIds = ids.slice(0, maxResults).map((r) => r.run_uuid);
  const rows = await loadInChunks(pageIds, (chunk) =>
    trx.selectFrom("runs").selectAll().where("run_uuid", "in", chunk).execute(),
  );
  const byId = new Map(rows.map((r) => [r.run_uuid, r]));
  return {
    rows: pageIds.map((id) => byId.get(id)!),
    nextPageToken: ids.length > maxResults ? encodePageToken(offset + maxResults) : undefined,
  };
}
