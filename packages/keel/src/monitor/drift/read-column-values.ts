/**
 * Reading one column of one side into the shape the tests need, with DuckDB doing the work:
 * numbers arrive as a Float64Array (finite values only, sorted here), categories as a GROUP BY
 * count. Rows are never built as JavaScript objects.
 */
import { columnKind } from "../../data/engine/column-kind.js";
import type { DataSession } from "../../data/engine/duckdb-session.js";
import { sqlIdent } from "../../data/engine/sql-text.js";
import type { ColumnValues } from "./column-values.js";
import type { DriftKind } from "./stat-tests.js";
import { sortFloat64 } from "./stats/sort-float64.js";

/** A relation as a FROM item: a quoted view name as is, any other SQL in parentheses. */
export function fromItem(relation: string): string {
  const r = relation.trim();
  return /^"(?:[^"]|"")+"$/.test(r) ? r : `(${r}) AS keel_src`;
}

// The column as DOUBLE (NULL when it cannot be read as a number): TRY_CAST so text logged as
// JSON strings still compares with a numeric reference; datetimes as epoch milliseconds.
function numberExpr(column: string, duckType: string): string {
  const ident = sqlIdent(column);
  if (columnKind(duckType) === "datetime") return `CAST(epoch_ms(CAST(${ident} AS TIMESTAMP)) AS DOUBLE)`;
  return `TRY_CAST(${ident} AS DOUBLE)`;
}

/** A column as read from DuckDB, before the numbers are sorted (see {@link finishColumnValues}). */
export type FetchedColumn =
  | { readonly kind: "numerical"; readonly values: Float64Array }
  | Extract<ColumnValues, { kind: "categorical" }>;

/**
 * Reads the tested values of `column` (its DuckDB type on this side is `duckType`) as `kind`,
 * unsorted. Null, NaN and ±Infinity are left out: the caller counts them as missing. Numbers come
 * from a query that runs to completion on DuckDB's threads, so the next column can be read while
 * this one is sorted and tested.
 */
export async function fetchColumnValues(
  session: DataSession,
  relation: string,
  column: string,
  duckType: string,
  kind: DriftKind,
): Promise<FetchedColumn> {
  const from = fromItem(relation);
  if (kind === "numerical") {
    const x = numberExpr(column, duckType);
    const values = await session.queryDoubles(
      `SELECT v FROM (SELECT ${x} AS v FROM ${from}) AS keel_v WHERE v IS NOT NULL AND isfinite(v)`,
    );
    return { kind, values };
  }
  const v = `CAST(${sqlIdent(column)} AS VARCHAR)`;
  const rows = await session.query(
    `SELECT ${v} AS v, count(*) AS n FROM ${from} WHERE ${sqlIdent(column)} IS NOT NULL GROUP BY 1`,
  );
  const counts = new Map<string, number>();
  let total = 0;
  for (const r of rows) {
    const n = Number(r.n);
    counts.set(String(r.v), n);
    total += n;
  }
  return { kind, counts, total };
}

/** The values the tests take: numbers sorted. */
export function finishColumnValues(fetched: FetchedColumn): ColumnValues {
  return fetched.kind === "numerical" ? { kind: "numerical", sorted: sortFloat64(fetched.values) } : fetched;
}

/** {@link fetchColumnValues} then {@link finishColumnValues}. */
export async function readColumnValues(
  session: DataSession,
  relation: string,
  column: string,
  duckType: string,
  kind: DriftKind,
): Promise<ColumnValues> {
  return finishColumnValues(await fetchColumnValues(session, relation, column, duckType, kind));
}

/** Row count of a relation. */
export async function countRows(session: DataSession, relation: string): Promise<number> {
  const [row] = await session.query(`SELECT count(*) AS n FROM ${fromItem(relation)}`);
  return Number(row?.n ?? 0);
}
