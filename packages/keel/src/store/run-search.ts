/**
 * SQL for searchRuns. Each filter clause becomes one predicate on the `runs r` row: attributes
 * compare columns, metrics/params/tags/datasets are EXISTS subqueries that hit the (run_uuid, key)
 * primary keys. Ordering by a metric, param or tag uses correlated lookups by the same keys.
 * Semantics follow MLflow's SqlAlchemyStore:
 * - metrics compare their latest value; a run without the key never matches (also for `!=`);
 *   NaN matches only `!=`;
 * - order_by puts runs without the key last (and NaN metrics after numbers, before missing), then
 *   breaks ties by start_time DESC (unless ordered by it) and run_uuid ASC.
 */
import { type RawBuilder, type SqlBool, sql } from "kysely";
import { invalidParam } from "../errors.js";
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

/** `[rank, value]` pairs: rank 0 = has a value, then NaN (metrics only), then missing. */
function orderTerms(backend: SqlBackend, o: OrderBy): Array<[RawBuilder<unknown>, boolean]> {
  const dir = o.ascending;
  if (o.entity === "attribute") {
    const column = STRING_ATTRIBUTES[o.key] ?? NUMERIC_ATTRIBUTES[o.key];
    if (!column) throw invalidParam(`Invalid order_by attribute '${o.key}' for runs.`);
    const ref = sql.ref(`r.${column}`);
    const value: RawBuilder<unknown> = STRING_ATTRIBUTES[o.key] ? textOrder(backend, ref) : sql`${ref}`;
    return NULLABLE_COLUMNS.has(column)
      ? [
          [sql`CASE WHEN ${ref} IS NULL THEN 1 ELSE 0 END`, true],
          [value, dir],
        ]
      : [[value, dir]];
  }
  if (o.entity === "metric") {
    const lookup = (col: string) =>
      sql`(SELECT ${sql.ref(`om.${col}`)} FROM latest_metrics om WHERE om.run_uuid = r.run_uuid AND om.key = ${o.key})`;
    return [
      [sql`COALESCE(${lookup("is_nan")}, 2)`, true],
      [lookup("value"), dir],
    ];
  }
  const table = o.entity === "param" ? "params" : o.entity === "tag" ? "tags" : undefined;
  if (!table) throw invalidParam(`Runs cannot be ordered by ${o.entity} keys.`);
  const lookup = sql`(SELECT ov.value FROM ${sql.table(table)} ov WHERE ov.run_uuid = r.run_uuid AND ov.key = ${o.key})`;
  return [
    [sql`CASE WHEN ${lookup} IS NULL THEN 1 ELSE 0 END`, true],
    [textOrder(backend, lookup), dir],
  ];
}

/** Find one page of run rows matching `options`. */
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

  let query = trx
    .selectFrom("runs as r")
    .selectAll("r")
    .where("r.experiment_id", "in", experimentIds)
    .where("r.lifecycle_stage", "in", stagesOf(options.runViewType));
  for (const c of comparisons) query = query.where(runPredicate(backend, c));
  for (const o of orderBy) {
    for (const [expr, ascending] of orderTerms(backend, o))
      query = query.orderBy(expr, ascending ? "asc" : "desc");
  }
  if (!orderBy.some((o) => o.entity === "attribute" && o.key === "start_time")) {
    query = query.orderBy("r.start_time", "desc");
  }
  query = query.orderBy(textOrder(backend, sql.ref("r.run_uuid")), "asc");

  const rows = await query
    .limit(maxResults + 1)
    .offset(offset)
    .execute();
  return {
    rows: rows.slice(0, maxResults),
    nextPageToken: rows.length > maxResults ? encodePageToken(offset + maxResults) : undefined,
  };
}
