import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DataSession } from "../../src/data/engine/duckdb-session.js";
import { vegaDatasetPath } from "../../src/datasets/vega-datasets.js";

/** seattle-weather.csv parsed by hand (no quoting in that file), for independent expected values. */
export interface WeatherRow {
  /** 1-based data row number (CSV line minus the header). */
  row: number;
  date: string;
  precipitation: number;
  temp_max: number;
  temp_min: number;
  wind: number;
  weather: string;
}

/** Path of the real seattle-weather.csv. */
export const SEATTLE = vegaDatasetPath("seattle-weather.csv");

/** Every row of seattle-weather.csv, parsed in JS. */
export function seattleRows(): WeatherRow[] {
  const [header, ...lines] = readFileSync(SEATTLE, "utf8").trim().split("\n");
  if (header !== "date,precipitation,temp_max,temp_min,wind,weather")
    throw new Error(`unexpected header ${header}`);
  return lines.map((line, i) => {
    const [date, precipitation, temp_max, temp_min, wind, weather] = line.split(",");
    return {
      row: i + 1,
      date: date!,
      precipitation: Number(precipitation),
      temp_max: Number(temp_max),
      temp_min: Number(temp_min),
      wind: Number(wind),
      weather: weather!,
    };
  });
}

/** The first `rows` flights of flights-3m.parquet written as a Parquet file in `dir`. */
export async function flightsSlice(dir: string, rows: number): Promise<string> {
  const path = join(dir, `flights-${rows}.parquet`);
  const session = await DataSession.open();
  try {
    const rel = await session.relationFrom(vegaDatasetPath("flights-3m.parquet"));
    await session.writeRelation(`SELECT * FROM ${rel} LIMIT ${rows}`, path, { format: "parquet" });
  } finally {
    session.close();
  }
  return path;
}

/** All rows of a data file as plain objects, in file order (test-side reads only). */
export async function readRows(path: string): Promise<Record<string, unknown>[]> {
  const session = await DataSession.open();
  try {
    const rel = await session.relationFrom(path);
    return await session.query(`SELECT * FROM ${rel}`);
  } finally {
    session.close();
  }
}
