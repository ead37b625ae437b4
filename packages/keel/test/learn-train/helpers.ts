/** Shared setup of the training tests: a scaffolded project with a real SQLite store, and real data files. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataSession } from "../../src/data/engine/duckdb-session.js";
import { sqlString } from "../../src/data/engine/sql-text.js";
import { flightsFeaturesSql } from "../../src/datasets/flights.js";
import { vegaDatasetPath } from "../../src/datasets/vega-datasets.js";
import { scaffoldProject } from "../../src/project/scaffold.js";
import { Tracker } from "../../src/track/tracker.js";

/** A temp project folder with a tracker on its own `.keel/keel.db`. */
export interface Project {
  dir: string;
  trackingUri: string;
  tracker: Tracker;
  close(): Promise<void>;
}

/** Scaffolds a project in a temp folder and opens a tracker on it. */
export async function makeProject(): Promise<Project> {
  const dir = mkdtempSync(join(tmpdir(), "keel-train-test-"));
  scaffoldProject(dir, { name: "train-test" });
  const trackingUri = join(dir, ".keel", "keel.db");
  const tracker = await Tracker.open({
    cwd: dir,
    trackingUri,
    artifactRoot: join(dir, ".keel", "artifacts"),
    handleProcessExit: false,
  });
  return {
    dir,
    trackingUri,
    tracker,
    async close() {
      await tracker.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes the result of `sql` (which may use `{src}` for the vega file's relation) to `out`. */
export async function writeFromVega(file: string, sql: string, out: string): Promise<string> {
  await DataSession.use(async (s) => {
    const rel = await s.relationFrom(vegaDatasetPath(file));
    await s.run(`COPY (${sql.replaceAll("{src}", rel)}) TO ${sqlString(out)}`);
  });
  return out;
}

/** Penguins (BENCH_TASKS' cleaning: no missing numbers, sex MALE/FEMALE) as train/test parquet files, 80/20 by row. */
export async function penguinFiles(dir: string): Promise<{ train: string; test: string }> {
  const clean = `SELECT "Species" AS species, "Island" AS island, "Beak Length (mm)" AS beak_length_mm,
      "Beak Depth (mm)" AS beak_depth_mm, "Flipper Length (mm)" AS flipper_length_mm,
      "Body Mass (g)" AS body_mass_g, "Sex" AS sex, row_number() OVER () AS rid
    FROM {src}`;
  const filtered = `SELECT * EXCLUDE (rid) FROM (${clean}) WHERE beak_length_mm IS NOT NULL
      AND body_mass_g IS NOT NULL AND sex IN ('MALE', 'FEMALE')`;
  const train = await writeFromVega(
    "penguins.json",
    `${filtered.replace("SELECT * EXCLUDE (rid)", "SELECT * EXCLUDE (rid)")} AND rid % 5 <> 0`,
    join(dir, "penguins-train.parquet"),
  );
  const test = await writeFromVega(
    "penguins.json",
    `${filtered} AND rid % 5 = 0`,
    join(dir, "penguins-test.parquet"),
  );
  return { train, test };
}

/**
 * BENCH_TASKS' flights features (month, day_of_week Monday=0, hour, distance, origin, destination,
 * delayed = delay > 15) for rows [from, to) of flights-3m.parquet.
 */
export async function flightsSlice(out: string, from: number, to: number): Promise<string> {
  return writeFromVega(
    "flights-3m.parquet",
    flightsFeaturesSql("{src}", { where: `row_id >= ${from} AND row_id < ${to}` }),
    out,
  );
}
