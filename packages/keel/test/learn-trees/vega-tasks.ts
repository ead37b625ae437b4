// The BENCH_TASKS.md tasks that need no scikit-learn split (flights, seattle-weather), plus cars
// and penguins with a seeded split, loaded with DuckDB from vega-datasets for real-data tests.
import { DataSession } from "../../src/data/engine/duckdb-session.js";
import { vegaDatasetPath } from "../../src/datasets/vega-datasets.js";
import { type Matrix, matrixFromColumns } from "../../src/learn/core/matrix.js";

export interface Task<Y> {
  X: Matrix;
  y: Y;
  Xt: Matrix;
  yt: Y;
}

async function columns(sql: string, features: string[]): Promise<{ X: Matrix; label: Float64Array }> {
  const session = await DataSession.open();
  try {
    const t = await session.queryColumns(sql);
    const byName = new Map(t.columns.map((c) => [c.name, c.values as Float64Array]));
    return {
      X: matrixFromColumns(
        features.map((f) => byName.get(f)!),
        features,
      ),
      label: byName.get("label")!,
    };
  } finally {
    session.close();
  }
}

const FLIGHT_FEATURES = ["month", "day_of_week", "hour", "distance", "origin_code", "destination_code"];

/** flights-delay-200k exactly as BENCH_TASKS.md builds it. */
export async function flights200k(): Promise<Task<Int32Array>> {
  const src = vegaDatasetPath("flights-3m.parquet");
  const base = `
    WITH f AS (SELECT file_row_number AS row_id, * FROM read_parquet('${src}', file_row_number = true)
               WHERE file_row_number < 1200000),
    vocab AS (SELECT code, row_number() OVER (ORDER BY code) - 1 AS idx FROM (
      SELECT origin AS code FROM f WHERE row_id < 1000000 UNION SELECT destination FROM f WHERE row_id < 1000000))
    SELECT month(date)::DOUBLE AS month, (isodow(date) - 1)::DOUBLE AS day_of_week, hour(date)::DOUBLE AS hour,
      distance::DOUBLE AS distance, coalesce(o.idx, -1)::DOUBLE AS origin_code,
      coalesce(d.idx, -1)::DOUBLE AS destination_code, (delay > 15)::DOUBLE AS label
    FROM f LEFT JOIN vocab o ON o.code = f.origin LEFT JOIN vocab d ON d.code = f.destination`;
  const tr = await columns(
    `${base} WHERE row_id >= 800000 AND row_id < 1000000 ORDER BY row_id`,
    FLIGHT_FEATURES,
  );
  const te = await columns(`${base} WHERE row_id >= 1000000 ORDER BY row_id`, FLIGHT_FEATURES);
  return { X: tr.X, y: Int32Array.from(tr.label), Xt: te.X, yt: Int32Array.from(te.label) };
}

const WEATHER_FEATURES = ["precipitation", "temp_max", "temp_min", "wind", "month"];

/** seattle-weather: train 2012-2014, test 2015, classes [drizzle, fog, rain, snow, sun]. */
export async function seattleWeather(): Promise<Task<Int32Array>> {
  const src = vegaDatasetPath("seattle-weather.csv");
  const sql = (where: string) => `
    SELECT precipitation, temp_max, temp_min, wind, month(date)::DOUBLE AS month,
      (list_position(['drizzle', 'fog', 'rain', 'snow', 'sun'], weather) - 1)::DOUBLE AS label
    FROM read_csv('${src}') WHERE ${where} ORDER BY date`;
  const tr = await columns(sql("year(date) <= 2014"), WEATHER_FEATURES);
  const te = await columns(sql("year(date) = 2015"), WEATHER_FEATURES);
  return { X: tr.X, y: Int32Array.from(tr.label), Xt: te.X, yt: Int32Array.from(te.label) };
}

const CAR_FEATURES = ["cylinders", "displacement", "horsepower", "weight_lbs", "acceleration", "year"];

/** cars-mpg (392 complete rows); every fifth row is test (a fixed split, no scikit-learn here). */
export async function carsMpg(): Promise<Task<Float64Array>> {
  const src = vegaDatasetPath("cars.json");
  const sql = (mod: string) => `
    SELECT * FROM (
      SELECT row_number() OVER () - 1 AS rid, "Cylinders"::DOUBLE AS cylinders, "Displacement"::DOUBLE AS displacement,
        "Horsepower"::DOUBLE AS horsepower, "Weight_in_lbs"::DOUBLE AS weight_lbs,
        "Acceleration"::DOUBLE AS acceleration, year("Year"::DATE)::DOUBLE AS year,
        "Miles_per_Gallon"::DOUBLE AS label FROM read_json('${src}'))
    WHERE label IS NOT NULL AND horsepower IS NOT NULL AND rid % 5 ${mod} ORDER BY rid`;
  const tr = await columns(sql("<> 0"), CAR_FEATURES);
  const te = await columns(sql("= 0"), CAR_FEATURES);
  return { X: tr.X, y: tr.label, Xt: te.X, yt: te.label };
}

const PENGUIN_FEATURES = [
  "beak_length_mm",
  "beak_depth_mm",
  "flipper_length_mm",
  "body_mass_g",
  "island_Biscoe",
  "island_Dream",
  "island_Torgersen",
  "sex_male",
];

/** penguins (333 complete rows); every fifth row is test. */
export async function penguins(): Promise<Task<Int32Array>> {
  const src = vegaDatasetPath("penguins.json");
  const sql = (mod: string) => `
    SELECT * FROM (
      SELECT row_number() OVER () - 1 AS rid,
        "Beak Length (mm)"::DOUBLE AS beak_length_mm, "Beak Depth (mm)"::DOUBLE AS beak_depth_mm,
        "Flipper Length (mm)"::DOUBLE AS flipper_length_mm, "Body Mass (g)"::DOUBLE AS body_mass_g,
        (Island = 'Biscoe')::DOUBLE AS island_Biscoe, (Island = 'Dream')::DOUBLE AS island_Dream,
        (Island = 'Torgersen')::DOUBLE AS island_Torgersen, (Sex = 'MALE')::DOUBLE AS sex_male, Sex AS sex,
        (list_position(['Adelie', 'Chinstrap', 'Gentoo'], Species) - 1)::DOUBLE AS label
      FROM read_json('${src}'))
    WHERE beak_length_mm IS NOT NULL AND beak_depth_mm IS NOT NULL AND flipper_length_mm IS NOT NULL
      AND body_mass_g IS NOT NULL AND sex IN ('MALE', 'FEMALE') AND rid % 5 ${mod} ORDER BY rid`;
  const tr = await columns(sql("<> 0"), PENGUIN_FEATURES);
  const te = await columns(sql("= 0"), PENGUIN_FEATURES);
  return { X: tr.X, y: Int32Array.from(tr.label), Xt: te.X, yt: Int32Array.from(te.label) };
}
