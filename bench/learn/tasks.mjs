// The fixed tasks of /work/shared/BENCH_TASKS.md, built once with DuckDB into a cache folder as
// CSV (train and test per task) so that Keel and the Python peers read exactly the same values.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataSession } from "../../packages/keel/dist/data/engine/duckdb-session.js";
import { vegaDatasetPath } from "../../packages/keel/dist/datasets/vega-datasets.js";

/** Where the task CSVs live (override with KEEL_BENCH_CACHE). */
export const CACHE_DIR = process.env.KEEL_BENCH_CACHE ?? join(tmpdir(), "keel-bench-learn");

/** Python with scikit-learn 1.2 and xgboost 1.7 from apt (not the pyenv one on PATH). */
export const PYTHON = "/usr/bin/python3";

/** Task definitions: kind, feature columns, label column, class names. */
export const TASKS = {
  "flights-delay-200k": {
    kind: "binary",
    features: ["month", "day_of_week", "hour", "distance", "origin_code", "destination_code"],
    classes: ["0", "1"],
  },
  "flights-delay-1m": {
    kind: "binary",
    features: ["month", "day_of_week", "hour", "distance", "origin_code", "destination_code"],
    classes: ["0", "1"],
  },
  "seattle-weather": {
    kind: "multiclass",
    features: ["precipitation", "temp_max", "temp_min", "wind", "month"],
    classes: ["drizzle", "fog", "rain", "snow", "sun"],
  },
  penguins: {
    kind: "multiclass",
    features: [
      "beak_length_mm",
      "beak_depth_mm",
      "flipper_length_mm",
      "body_mass_g",
      "island_Biscoe",
      "island_Dream",
      "island_Torgersen",
      "sex_male",
    ],
    classes: ["Adelie", "Chinstrap", "Gentoo"],
  },
  "cars-mpg": {
    kind: "regression",
    features: ["cylinders", "displacement", "horsepower", "weight_lbs", "acceleration", "year"],
    classes: [],
  },
};

/** Paths of a task's CSVs (`label` is the target column, `row_id` the source row). */
export function taskFiles(name) {
  return { train: join(CACHE_DIR, `${name}-train.csv`), test: join(CACHE_DIR, `${name}-test.csv`) };
}

/** Builds every missing task CSV. */
export async function ensureTasks() {
  mkdirSync(CACHE_DIR, { recursive: true });
  const missing = Object.keys(TASKS).filter((t) => {
    const f = taskFiles(t);
    return !existsSync(f.train) || !existsSync(f.test);
  });
  if (missing.length === 0) return;
  const session = await DataSession.open();
  try {
    if (missing.some((t) => t.startsWith("flights"))) await buildFlights(session);
    if (missing.includes("seattle-weather")) await buildSeattle(session);
    if (missing.includes("penguins")) await buildPenguins(session);
    if (missing.includes("cars-mpg")) await buildCars(session);
  } finally {
    session.close();
  }
}

async function copyTo(session, sql, path) {
  const tmp = `${path}.tmp`;
  await session.run(`COPY (${sql}) TO '${tmp}' (FORMAT csv, HEADER true)`);
  renameSync(tmp, path);
}

async function buildFlights(session) {
  const src = vegaDatasetPath("flights-3m.parquet");
  await session.run(`CREATE OR REPLACE TEMP TABLE flights AS
    SELECT file_row_number AS row_id, * FROM read_parquet('${src}', file_row_number = true)`);
  // Vocabulary: byte-wise sorted codes seen as origin or destination in the 1M training rows.
  await session.run(`CREATE OR REPLACE TEMP TABLE vocab AS
    SELECT code, (row_number() OVER (ORDER BY code)) - 1 AS idx FROM (
      SELECT origin AS code FROM flights WHERE row_id < 1000000
      UNION SELECT destination FROM flights WHERE row_id < 1000000)`);
  const select = (where) => `
    SELECT f.row_id, month(f.date) AS month, isodow(f.date) - 1 AS day_of_week, hour(f.date) AS hour,
      f.distance, coalesce(o.idx, -1) AS origin_code, coalesce(d.idx, -1) AS destination_code,
      f.origin, f.destination, CASE WHEN f.delay > 15 THEN 1 ELSE 0 END AS label
    FROM flights f LEFT JOIN vocab o ON o.code = f.origin LEFT JOIN vocab d ON d.code = f.destination
    WHERE ${where} ORDER BY f.row_id`;
  const f1m = taskFiles("flights-delay-1m");
  const f200 = taskFiles("flights-delay-200k");
  await copyTo(session, select("f.row_id < 1000000"), f1m.train);
  await copyTo(session, select("f.row_id >= 800000 AND f.row_id < 1000000"), f200.train);
  await copyTo(session, select("f.row_id >= 1000000 AND f.row_id < 1200000"), f1m.test);
  await copyTo(session, `SELECT * FROM read_csv('${f1m.test}')`, f200.test);
}

async function buildSeattle(session) {
  const src = vegaDatasetPath("seattle-weather.csv");
  const select = (where) => `
    SELECT * FROM (
      SELECT row_number() OVER () - 1 AS row_id, precipitation, temp_max, temp_min, wind,
        month(date) AS month, list_position(['drizzle', 'fog', 'rain', 'snow', 'sun'], weather) - 1 AS label, date
      FROM read_csv('${src}')) WHERE ${where} ORDER BY row_id`;
  const f = taskFiles("seattle-weather");
  await copyTo(session, `SELECT * EXCLUDE (date) FROM (${select("year(date) <= 2014")})`, f.train);
  await copyTo(session, `SELECT * EXCLUDE (date) FROM (${select("year(date) = 2015")})`, f.test);
}

// sklearn's train_test_split decides the rows, so ask it (same random_state as the peers use).
function trainRowIds(rowIds, labels, stratify) {
  const code = `
import json, sys
from sklearn.model_selection import train_test_split
d = json.load(sys.stdin)
tr, _ = train_test_split(d["ids"], test_size=0.2, random_state=42, stratify=d["labels"] if d["stratify"] else None)
print(json.dumps([int(x) for x in tr]))`;
  const r = spawnSync(PYTHON, ["-c", code], {
    input: JSON.stringify({ ids: rowIds, labels, stratify }),
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`train_test_split failed: ${r.stderr}`);
  return new Set(JSON.parse(r.stdout));
}

async function splitWrite(session, table, name, stratify) {
  const rows = await session.query(`SELECT row_id, label FROM ${table} ORDER BY row_id`);
  const train = trainRowIds(
    rows.map((r) => Number(r.row_id)),
    rows.map((r) => Number(r.label)),
    stratify,
  );
  await session.run(
    `CREATE OR REPLACE TEMP TABLE split_ids AS SELECT unnest([${[...train].join(",")}]) AS row_id`,
  );
  const f = taskFiles(name);
  await copyTo(
    session,
    `SELECT * FROM ${table} WHERE row_id IN (SELECT row_id FROM split_ids) ORDER BY row_id`,
    f.train,
  );
  await copyTo(
    session,
    `SELECT * FROM ${table} WHERE row_id NOT IN (SELECT row_id FROM split_ids) ORDER BY row_id`,
    f.test,
  );
}

async function buildPenguins(session) {
  const src = vegaDatasetPath("penguins.json");
  await session.run(`CREATE OR REPLACE TEMP TABLE penguins AS
    SELECT * FROM (
      SELECT row_number() OVER () - 1 AS row_id,
        "Beak Length (mm)"::DOUBLE AS beak_length_mm, "Beak Depth (mm)"::DOUBLE AS beak_depth_mm,
        "Flipper Length (mm)"::DOUBLE AS flipper_length_mm, "Body Mass (g)"::DOUBLE AS body_mass_g,
        (Island = 'Biscoe')::INT AS island_Biscoe, (Island = 'Dream')::INT AS island_Dream,
        (Island = 'Torgersen')::INT AS island_Torgersen, (Sex = 'MALE')::INT AS sex_male,
        Sex AS sex, list_position(['Adelie', 'Chinstrap', 'Gentoo'], Species) - 1 AS label
      FROM read_json('${src}'))
    WHERE beak_length_mm IS NOT NULL AND beak_depth_mm IS NOT NULL AND flipper_length_mm IS NOT NULL
      AND body_mass_g IS NOT NULL AND sex IN ('MALE', 'FEMALE')`);
  await session.run("ALTER TABLE penguins DROP COLUMN sex");
  await splitWrite(session, "penguins", "penguins", true);
}

async function buildCars(session) {
  const src = vegaDatasetPath("cars.json");
  await session.run(`CREATE OR REPLACE TEMP TABLE cars AS
    SELECT * FROM (
      SELECT row_number() OVER () - 1 AS row_id, "Cylinders"::DOUBLE AS cylinders,
        "Displacement"::DOUBLE AS displacement, "Horsepower"::DOUBLE AS horsepower,
        "Weight_in_lbs"::DOUBLE AS weight_lbs, "Acceleration"::DOUBLE AS acceleration,
        year("Year"::DATE)::DOUBLE AS year, "Miles_per_Gallon"::DOUBLE AS label
      FROM read_json('${src}'))
    WHERE label IS NOT NULL AND horsepower IS NOT NULL`);
  await splitWrite(session, "cars", "cars-mpg", false);
}

/** Loads a task CSV as Float64Array columns keyed by name (NaN for empty cells). */
export async function loadTaskCsv(path, columns) {
  const session = await DataSession.open();
  try {
    const cols = columns.map((c) => `"${c}"::DOUBLE AS "${c}"`).join(", ");
    const typed = await session.queryColumns(`SELECT ${cols} FROM read_csv('${path}')`);
    return Object.fromEntries(typed.columns.map((c) => [c.name, c.values]));
  } finally {
    session.close();
  }
}
