/**
 * Test helper: real vega-datasets tables loaded with the DuckDB engine and split into train and
 * held-out rows (every fourth row held out, so both parts span the whole file).
 */

import { DataSession } from "../../src/data/engine/duckdb-session.js";
import { vegaDatasetPath } from "../../src/datasets/vega-datasets.js";
import { type Table, takeTableRows } from "../../src/learn/core/table.js";

/** A task on real data. */
export interface RealTask {
  readonly name: string;
  readonly target: string;
  readonly task: "classification" | "regression";
  readonly train: Table;
  readonly test: Table;
}

async function load(file: string, select: (rel: string) => string): Promise<Table> {
  return DataSession.use(async (s) => s.queryColumns(select(await s.relationFrom(vegaDatasetPath(file)))));
}

function holdout(table: Table): { train: Table; test: Table } {
  const trainIdx: number[] = [];
  const testIdx: number[] = [];
  for (let i = 0; i < table.rowCount; i++) (i % 4 === 0 ? testIdx : trainIdx).push(i);
  return { train: takeTableRows(table, trainIdx), test: takeTableRows(table, testIdx) };
}

/** Penguins (species; numeric columns with nulls, island and sex as strings). */
export async function penguins(): Promise<RealTask> {
  const t = await load("penguins.json", (r) => `SELECT * FROM ${r}`);
  return { name: "penguins", target: "Species", task: "classification", ...holdout(t) };
}

/** Seattle weather (5 classes, a date column). */
export async function seattleWeather(): Promise<RealTask> {
  const t = await load(
    "seattle-weather.csv",
    (r) =>
      `SELECT CAST(date AS TIMESTAMP) AS date, precipitation, temp_max, temp_min, wind, weather FROM ${r}`,
  );
  return { name: "seattle-weather", target: "weather", task: "classification", ...holdout(t) };
}

/** Cars (miles per gallon; origin as a category, rows without a target dropped). */
export async function cars(): Promise<RealTask> {
  const t = await load(
    "cars.json",
    (r) =>
      `SELECT Cylinders, Displacement, Horsepower, Weight_in_lbs, Acceleration, Origin, Miles_per_Gallon FROM ${r} WHERE Miles_per_Gallon IS NOT NULL`,
  );
  return { name: "cars", target: "Miles_per_Gallon", task: "regression", ...holdout(t) };
}

/** 4,000 early-2001 flights: delayed > 15 minutes, from date, distance, origin and destination. */
export async function flights(): Promise<RealTask> {
  const t = await load(
    "flights-3m.parquet",
    (r) =>
      `SELECT CAST(date AS TIMESTAMP) AS date, distance, origin, destination, CASE WHEN delay > 15 THEN 'late' ELSE 'on_time' END AS delayed FROM ${r} LIMIT 4000 OFFSET 500000`,
  );
  return { name: "flights", target: "delayed", task: "classification", ...holdout(t) };
}
