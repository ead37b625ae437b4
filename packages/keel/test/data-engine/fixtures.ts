import { join } from "node:path";
import { Command } from "commander";
import { registerDataInspectCommands } from "../../src/cli/data-inspect.js";
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

/** What one in-process `keel data ...` run printed, and its exit code. */
export interface CliRun {
  /** Exit code (process.exitCode after the action, or commander's usage-error code). */
  code: number;
  /** Captured stdout. */
  stdout: string;
  /** Captured stderr. */
  stderr: string;
}

/**
 * Runs `keel data ARGS` in this process on a fresh commander program holding the inspection
 * commands, the way program.ts mounts them, capturing output and the exit code.
 */
export async function keelData(args: string[]): Promise<CliRun> {
  const program = new Command("keel").exitOverride();
  const data = program.command("data").exitOverride();
  registerDataInspectCommands(data);
  for (const cmd of data.commands) cmd.exitOverride();
  let stdout = "";
  let stderr = "";
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const saved = process.exitCode;
  process.exitCode = undefined;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  let code = 0;
  try {
    await program.parseAsync(["node", "keel", "data", ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    const exit = (e as { exitCode?: number }).exitCode;
    if (exit === undefined) throw e;
    code = exit;
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = saved;
  }
  return { code, stdout, stderr };
}
