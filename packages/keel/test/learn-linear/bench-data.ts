// Loaders for the BENCH_TASKS.md tasks used by the learn tests (penguins, cars-mpg, seattle-weather).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DataSession } from "../../src/data/engine/duckdb-session.js";
import { vegaDatasetPath } from "../../src/datasets/vega-datasets.js";
import { type Table, tableFromArrays, takeTableRows } from "../../src/learn/core/index.js";

const here = fileURLToPath(new URL(".", import.meta.url));

interface Splits {
  penguins: { test_ids: number[]; train_ids: number[]; logistic_accuracy: number };
  cars: { test_ids: number[]; train_ids: number[]; ridge_r2: number; ridge_rmse: number };
}

/** Split row ids and sklearn reference metrics from reference/bench_splits.py. */
export const splits = JSON.parse(readFileSync(join(here, "reference/bench_splits.json"), "utf8")) as Splits;

/** A task as train/test tables (target column included) by the pinned row ids. */
export interface Task {
  train: Table;
  test: Table;
  target: string;
}

function byIds(all: Table, rowIds: number[], ids: number[]): Table {
  const pos = new Map(rowIds.map((id, i) => [id, i]));
  return takeTableRows(
    all,
    ids.map((id) => pos.get(id)!),
  );
}

/** penguins: 8 features as in BENCH_TASKS (one-hot island, sex_male), 266/67 rows. */
export function penguinsTask(): Task {
  const rows = JSON.parse(readFileSync(vegaDatasetPath("penguins.json"), "utf8")) as Record<
    string,
    unknown
  >[];
  const num = ["Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)"];
  const ids = rows.flatMap((r, i) =>
    num.every((c) => r[c] !== null) && (r.Sex === "MALE" || r.Sex === "FEMALE") ? [i] : [],
  );
  const kept = ids.map((i) => rows[i]!);
  const all = tableFromArrays({
    beak_length_mm: kept.map((r) => r[num[0]!] as number),
    beak_depth_mm: kept.map((r) => r[num[1]!] as number),
    flipper_length_mm: kept.map((r) => r[num[2]!] as number),
    body_mass_g: kept.map((r) => r[num[3]!] as number),
    island_Biscoe: kept.map((r) => Number(r.Island === "Biscoe")),
    island_Dream: kept.map((r) => Number(r.Island === "Dream")),
    island_Torgersen: kept.map((r) => Number(r.Island === "Torgersen")),
    sex_male: kept.map((r) => Number(r.Sex === "MALE")),
    species: kept.map((r) => r.Species as string),
  });
  return {
    train: byIds(all, ids, splits.penguins.train_ids),
    test: byIds(all, ids, splits.penguins.test_ids),
    target: "species",
  };
}

/** cars-mpg: 6 features, 313/79 rows. */
export function carsTask(): Task {
  const rows = JSON.parse(readFileSync(vegaDatasetPath("cars.json"), "utf8")) as Record<string, unknown>[];
  const ids = rows.flatMap((r, i) => (r.Miles_per_Gallon !== null && r.Horsepower !== null ? [i] : []));
  const kept = ids.map((i) => rows[i]!);
  const all = tableFromArrays({
    cylinders: kept.map((r) => r.Cylinders as number),
    displacement: kept.map((r) => r.Displacement as number),
    horsepower: kept.map((r) => r.Horsepower as number),
    weight_lbs: kept.map((r) => r.Weight_in_lbs as number),
    acceleration: kept.map((r) => r.Acceleration as number),
    year: kept.map((r) => Number(String(r.Year).slice(0, 4))),
    mpg: kept.map((r) => r.Miles_per_Gallon as number),
  });
  return {
    train: byIds(all, ids, splits.cars.train_ids),
    test: byIds(all, ids, splits.cars.test_ids),
    target: "mpg",
  };
}

/** seattle-weather through DuckDB: raw columns (date as a datetime), train 2012-2014, test 2015. */
export async function seattleTask(): Promise<Task> {
  return DataSession.use(async (s) => {
    const rel = await s.relationFrom(vegaDatasetPath("seattle-weather.csv"));
    const cols = "CAST(date AS TIMESTAMP) AS date, precipitation, temp_max, temp_min, wind, weather";
    const train = await s.queryColumns(`SELECT ${cols} FROM ${rel} WHERE year(date) <= 2014 ORDER BY date`);
    const test = await s.queryColumns(`SELECT ${cols} FROM ${rel} WHERE year(date) = 2015 ORDER BY date`);
    return { train, test, target: "weather" };
  });
}
