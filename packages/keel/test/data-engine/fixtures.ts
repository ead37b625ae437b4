import { join } from "node:path";
import { DataSession } from "../../src/data/engine/duckdb-session.js";
import { vegaDatasetPath } from "../../src/datasets/vega-datasets.js";

/** The real files every data-engine test reads. */
export const WEATHER = vegaDatasetPath("seattle-weather.csv");
/** penguins.json: a JSON array with nulls. */
export const PENGUINS = vegaDatasetPath("penguins.json");
/** flights-200k.arrow: Arrow IPC with SMALLINT and FLOAT columns. */
export const FLIGHTS_ARROW = vegaDatasetPath("flights-200k.arrow");
/** flights-3m.parquet: 3 million rows. */
export const FLIGHTS_3M = vegaDatasetPath("flights-3m.parquet");

/** Runs `fn` with a fresh session and closes it. */
export async function withSession<T>(fn: (session: DataSession) => Promise<T>): Promise<T> {
  const session = await DataSession.open();
  try {
    return await fn(session);
  } finally {
    session.close();
  }
}

/** Writes the first `rows` rows of flights-3m.parquet to `dir` (DuckDB directly, not Keel's convert). */
export async function flightsSlice(dir: string, rows: number): Promise<string> {
  const path = join(dir, `flights-${rows}.parquet`);
  await withSession(async (s) => {
    await s.run(
      `COPY (SELECT * FROM read_parquet('${FLIGHTS_3M.replaceAll("'", "''")}') LIMIT ${rows}) TO '${path.replaceAll("'", "''")}' (FORMAT parquet)`,
    );
  });
  return path;
}

export { type CliRun, keelData } from "../support/in-process-cli.js";
