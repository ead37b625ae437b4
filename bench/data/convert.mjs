// bench/data/convert.mjs: CSV -> Parquet of flights-3m (3,000,000 rows) through Keel's convert
// path (`keel data convert`'s library call, fresh session each time) beside DuckDB doing the same
// COPY directly, in one run, alternating who goes first, median of 3. Target: Keel <= 1.2x DuckDB.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { DataSession } from "../../packages/keel/dist/data/engine/duckdb-session.js";
import { convertFile } from "../../packages/keel/dist/data/formats/convert-file.js";
import { vegaDatasetPath } from "../../packages/keel/dist/datasets/vega-datasets.js";

const REPS = Number(process.env.BENCH_REPS ?? 3);
const TARGET = 1.2;
const tmp = mkdtempSync(join(tmpdir(), "keel-bench-convert-"));
const sql = (s) => `'${s.replaceAll("'", "''")}'`;

async function duckdb(fn) {
  const instance = await DuckDBInstance.create(":memory:", { threads: "2" });
  const connection = await instance.connect();
  try {
    return await fn(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function timed(fn) {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  // The input: flights-3m as CSV, produced once by DuckDB.
  const csv = join(tmp, "flights-3m.csv");
  await duckdb((c) =>
    c.run(
      `COPY (SELECT * FROM read_parquet(${sql(vegaDatasetPath("flights-3m.parquet"))})) TO ${sql(csv)} (FORMAT csv, HEADER true)`,
    ),
  );

  const keel = (out, compression) => async () => {
    const session = await DataSession.open();
    try {
      await convertFile(session, csv, out, { compression, compare: false });
    } finally {
      session.close();
    }
  };
  const direct = (out, compression) => () =>
    duckdb((c) =>
      c.run(
        `COPY (SELECT * FROM read_csv(${sql(csv)})) TO ${sql(out)} (FORMAT parquet, COMPRESSION ${compression})`,
      ),
    );

  const rows = [];
  // snappy is DuckDB's default codec (the plain `COPY ... (FORMAT parquet)`); zstd is Keel's.
  for (const codec of ["snappy", "zstd"]) {
    const keelOut = join(tmp, `keel-${codec}.parquet`);
    const duckOut = join(tmp, `duckdb-${codec}.parquet`);
    const times = { keel: [], duckdb: [] };
    for (let rep = 0; rep < REPS; rep++) {
      const order = rep % 2 === 0 ? ["keel", "duckdb"] : ["duckdb", "keel"];
      for (const who of order) {
        times[who].push(await timed(who === "keel" ? keel(keelOut, codec) : direct(duckOut, codec)));
      }
    }
    // Same output: row counts and a content hash of both files agree.
    const [a, b] = await duckdb(async (c) =>
      Promise.all(
        [keelOut, duckOut].map(async (f) => {
          const r = await c.runAndReadAll(
            `SELECT count(*) AS n, bit_xor(hash(COLUMNS(*))) FROM read_parquet(${sql(f)})`,
          );
          return JSON.stringify(r.getRowsJS()[0], (_k, v) => (typeof v === "bigint" ? v.toString() : v));
        }),
      ),
    );
    if (a !== b) throw new Error(`outputs differ for ${codec}: ${a} vs ${b}`);
    const k = median(times.keel);
    const d = median(times.duckdb);
    rows.push({
      codec,
      keel: k,
      duckdb: d,
      ratio: k / d,
      keelBytes: statSync(keelOut).size,
      duckBytes: statSync(duckOut).size,
    });
  }

  const csvBytes = statSync(csv).size;
  console.log(
    `\nCSV -> Parquet, flights-3m (3,000,000 rows, ${(csvBytes / 2 ** 20).toFixed(1)} MiB CSV), median of ${REPS}, alternating`,
  );
  console.log("codec    keel (s)  duckdb COPY (s)  ratio  target   parquet MiB (keel / duckdb)");
  for (const r of rows) {
    const ok = r.ratio <= TARGET ? "ok" : "MISS";
    console.log(
      `${r.codec.padEnd(7)}  ${(r.keel / 1000).toFixed(2).padStart(8)}  ${(r.duckdb / 1000).toFixed(2).padStart(15)}  ${r.ratio.toFixed(2).padStart(5)}  <=${TARGET} ${ok.padEnd(4)}  ${(r.keelBytes / 2 ** 20).toFixed(1)} / ${(r.duckBytes / 2 ** 20).toFixed(1)}`,
    );
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
