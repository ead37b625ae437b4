/**
 * BENCH_TASKS' flights-delay features over vega-datasets' flights-3m.parquet, as one SQL query
 * every user of the flights data shares (the demo, tests, labs and benches): month, day of week
 * (Monday = 0), hour, distance, origin and destination airports, and the label `delayed`
 * (delay > 15 minutes). Rows keep the file's order (by date); `row_id` is the 0-based position.
 */
import { sqlIdent } from "../data/engine/sql-text.js";

/** Options of {@link flightsFeaturesSql}. */
export interface FlightsQuery {
  /** A SQL condition on the source columns (`date`, `delay`, `distance`, ...) or `row_id`. */
  readonly where?: string;
  /** Keep at most this many rows: a seeded reservoir sample, in file order. */
  readonly sample?: { readonly rows: number; readonly seed: number };
  /** Extra columns, SQL expression by name (e.g. `{ taxi_out: "distance % 37" }`). */
  readonly extra?: Readonly<Record<string, string>>;
}

/**
 * The flights features as a SELECT over `relation` (a DuckDB relation of flights-3m.parquet).
 * @example flightsFeaturesSql(rel, { where: "month(date) <= 3", sample: { rows: 20_000, seed: 0 } })
 */
export function flightsFeaturesSql(relation: string, query: FlightsQuery = {}): string {
  const extra = Object.entries(query.extra ?? {})
    .map(([name, expr]) => `, ${expr} AS ${sqlIdent(name)}`)
    .join("");
  const numbered = `SELECT *, row_number() OVER () - 1 AS row_id FROM ${relation}`;
  const filtered = `SELECT * FROM (${numbered}) WHERE ${query.where ?? "TRUE"}`;
  const sampled = query.sample
    ? `SELECT * FROM (${filtered}) USING SAMPLE reservoir(${Math.trunc(query.sample.rows)} ROWS) REPEATABLE (${Math.trunc(query.sample.seed)})`
    : filtered;
  return `SELECT month(date) AS month, (isodow(date) - 1) AS day_of_week, hour(date) AS hour,
      distance, origin, destination${extra}, CASE WHEN delay > 15 THEN 1 ELSE 0 END AS delayed
    FROM (${sampled}) ORDER BY row_id`;
}
