import type { DataSession } from "../data/engine/duckdb-session.js";
import { sqlString } from "../data/engine/sql-text.js";
import { invalidParam } from "../errors.js";

/** The five weather classes, in sorted order (class index = position), as BENCH_TASKS.md fixes them. */
export const WEATHER_CLASSES = ["drizzle", "fog", "rain", "snow", "sun"] as const;

/** Seattle weather as columns (one typed array per feature; `label` holds class indices). */
export interface WeatherTable {
  year: Float64Array;
  month: Float64Array;
  precipitation: Float64Array;
  tempMax: Float64Array;
  tempMin: Float64Array;
  wind: Float64Array;
  label: Int8Array;
}

/**
 * Load vega-datasets' Seattle weather from any format DuckDB reads into typed columns (no row
 * objects), with the label encoded as the index in {@link WEATHER_CLASSES}.
 */
export async function loadWeatherTable(session: DataSession, path: string): Promise<WeatherTable> {
  const classes = WEATHER_CLASSES.map((c) => sqlString(c)).join(", ");
  const cols = await session.queryColumns(
    `SELECT year(date) AS year, month(date) AS month, precipitation, temp_max, temp_min, wind,
            list_position([${classes}], weather) - 1 AS label
     FROM ${await session.relationFrom(path)} ORDER BY date`,
  );
  const get = (name: string): Float64Array => {
    const c = cols.columns.find((x) => x.name === name);
    if (c === undefined || c.kind === "string")
      throw invalidParam(`${path}: column '${name}' is missing or not numeric`);
    if (c.values.some(Number.isNaN))
      throw invalidParam(`${path}: column '${name}' has missing values or unknown classes`);
    return c.values;
  };
  return {
    year: get("year"),
    month: get("month"),
    precipitation: get("precipitation"),
    tempMax: get("temp_max"),
    tempMin: get("temp_min"),
    wind: get("wind"),
    label: Int8Array.from(get("label")),
  };
}

/** Row indices whose year is in `years`. */
export function rowsOfYears(t: WeatherTable, years: readonly number[]): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < t.year.length; i++) if (years.includes(t.year[i]!)) out.push(i);
  return Int32Array.from(out);
}
