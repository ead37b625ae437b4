// bench/serve: single-row Open Inference Protocol (V2) inference with `keel serve` on a flights
// gbdt, beside (a) a bare Node `http` server answering a constant JSON body (the ceiling) and
// (b) a minimal Flask + scikit-learn server (apt's python3-flask), at 1, 16 and 64 keep-alive
// connections, all in the same run; then p99 at a fixed 1,000 requests/s, and `keel predict`
// rows/s on the 200,000-row flights test set. A third reference, "raw+model"
// (raw-model-server.mjs), runs Keel's V2 model path behind a bare `node:http` handler: what is
// left of the gap to the bare server without Fastify, metrics, logs and the prediction log.
//
//   npm run bench -- serve [--seconds 5] [--repeats 3] [--workers 1]
//
// Each point is the median of `repeats` turns, the servers taking turns.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { closedLoop, openLoop } from "./load.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "..", "..", "packages", "keel", "dist");
const CLI = join(dist, "cli", "main.js");
const PYTHON = "/usr/bin/python3";
const CACHE = process.env.KEEL_BENCH_CACHE
  ? join(process.env.KEEL_BENCH_CACHE, "serve")
  : join(tmpdir(), "keel-bench-serve");
const args = Object.fromEntries(
  process.argv
    .slice(2)
    .map((a, i, all) => (a.startsWith("--") ? [a.slice(2), all[i + 1]] : []))
    .filter((x) => x.length),
);
const seconds = Number(args.seconds ?? 5);
const repeats = Number(args.repeats ?? 3);
const workers = Number(args.workers ?? 1);

const FLIGHTS_SQL = (
  src,
  from,
  to,
) => `SELECT month(date) AS month, (isodow(date) - 1) AS day_of_week, hour(date) AS hour,
  distance, origin, destination, CASE WHEN delay > 15 THEN 1 ELSE 0 END AS delayed
  FROM (SELECT *, row_number() OVER () - 1 AS rid FROM ${src}) WHERE rid >= ${from} AND rid < ${to} ORDER BY rid`;

/** BENCH_TASKS' flights-delay-200k split (raw airports) and a gbdt trained on it, cached. */
async function ensureModel() {
  const meta = join(CACHE, "model.json");
  if (existsSync(meta)) return JSON.parse(readFileSync(meta, "utf8"));
  mkdirSync(CACHE, { recursive: true });
  const { DataSession } = await import(join(dist, "data", "engine", "duckdb-session.js"));
  const { vegaDatasetPath } = await import(join(dist, "datasets", "vega-datasets.js"));
  const { scaffoldProject } = await import(join(dist, "project", "scaffold.js"));
  const { Tracker } = await import(join(dist, "track", "tracker.js"));
  const { trainModel } = await import(join(dist, "learn", "train", "train-model.js"));
  const files = {
    train: join(CACHE, "train.parquet"),
    test: join(CACHE, "test.parquet"),
    csv: join(CACHE, "train.csv"),
  };
  await DataSession.use(async (s) => {
    const rel = await s.relationFrom(vegaDatasetPath("flights-3m.parquet"));
    await s.run(`COPY (${FLIGHTS_SQL(rel, 800_000, 1_000_000)}) TO '${files.train}'`);
    await s.run(`COPY (${FLIGHTS_SQL(rel, 1_000_000, 1_200_000)}) TO '${files.test}'`);
    await s.run(`COPY (SELECT * FROM '${files.train}') TO '${files.csv}' (HEADER true)`);
  });
  const project = join(CACHE, "project");
  scaffoldProject(project, { name: "bench-serve" });
  const tracker = await Tracker.open({
    cwd: project,
    trackingUri: join(project, ".keel", "keel.db"),
    handleProcessExit: false,
  });
  try {
    const r = await trainModel(
      { data: files.train, target: "delayed", model: "gbdt" },
      { tracker, cwd: project },
    );
    const run = await tracker.store.getRun(r.runId);
    const out = { ...files, modelDir: join(fileURLToPath(run.info.artifactUri), "model") };
    writeFileSync(meta, JSON.stringify(out));
    return out;
  } finally {
    await tracker.close();
  }
}

/** Spawns a server and resolves once `ready(stdout+stderr)` matches. */
function start(cmd, argv, ready, env = {}) {
  const child = spawn(cmd, argv, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  let out = "";
  return new Promise((resolve, reject) => {
    const on = (d) => {
      out += d;
      if (!ready.test(out)) return;
      const stop = () =>
        new Promise((r) => {
          child.on("exit", r);
          child.kill("SIGTERM");
        });
      resolve({ child, stop });
    };
    child.stdout.on("data", on);
    child.stderr.on("data", on);
    child.on("exit", (code) => reject(new Error(`${argv.join(" ")} exited ${code}: ${out.slice(-500)}`)));
  });
}

const ROW = { month: 4, day_of_week: 2, hour: 17, distance: 802, origin: "ORD", destination: "DFW" };
const V2 = JSON.stringify({
  inputs: [
    ["month", "INT32"],
    ["day_of_week", "INT32"],
    ["hour", "INT32"],
    ["distance", "FP32"],
    ["origin", "BYTES"],
    ["destination", "BYTES"],
  ].map(([name, datatype]) => ({ name, datatype, shape: [1], data: [ROW[name]] })),
});

async function main() {
  const m = await ensureModel();
  console.log(
    `bench/serve: flights gbdt (${m.modelDir}); median of ${repeats} turns of ${seconds} s (after 1 s warm-up) per point, servers alternating; keep-alive connections`,
  );
  const servers = [];
  const bare = await start(
    process.execPath,
    [
      "-e",
      `require("node:http").createServer((q,s)=>{q.resume();q.on("end",()=>{s.setHeader("content-type","application/json");s.end('{"predictions":[0.5]}')})}).listen(18401,"127.0.0.1",()=>console.log("ready"))`,
    ],
    /ready/,
  );
  servers.push(bare);
  const keel = await start(
    process.execPath,
    [
      CLI,
      "serve",
      m.modelDir,
      "--name",
      "flights",
      "--port",
      "18402",
      "--log-level",
      "warn",
      "--workers",
      String(workers),
      "--log-predictions",
      join(CACHE, "predictions"),
    ],
    / on http:/,
  );
  servers.push(keel);
  const raw = await start(
    process.execPath,
    [join(here, "raw-model-server.mjs"), m.modelDir, "18404"],
    /ready/,
  );
  servers.push(raw);
  let flask;
  const hasFlask = spawnSync(PYTHON, ["-c", "import flask, sklearn"]).status === 0;
  if (hasFlask) {
    flask = await start(
      PYTHON,
      [join(here, "flask_peer.py"), m.csv, "18403"],
      /Running on|ready[\s\S]*Running/,
      { OMP_NUM_THREADS: "1" },
    );
    servers.push(flask);
  } else {
    console.log("Flask column skipped: python3-flask is not installed (apt-get install -y python3-flask)");
  }
  const flaskBody = JSON.stringify({ instances: [ROW] });
  try {
    const rows = [];
    for (const c of [1, 16, 64]) {
      // The servers take turns, `repeats` times; each figure is the median of its turns (this
      // machine's speed drifts by tens of percent within minutes, a single turn each misleads).
      const turns = { b: [], k: [], r: [], f: [] };
      for (let r = 0; r < repeats; r++) {
        turns.b.push(
          await closedLoop("http://127.0.0.1:18401/", '{"inputs":[]}', { connections: c, seconds }),
        );
        turns.k.push(
          await closedLoop("http://127.0.0.1:18402/v2/models/flights/infer", V2, { connections: c, seconds }),
        );
        turns.r.push(
          await closedLoop("http://127.0.0.1:18404/v2/models/flights/infer", V2, { connections: c, seconds }),
        );
        if (flask) {
          turns.f.push(
            await closedLoop("http://127.0.0.1:18403/predict", flaskBody, { connections: c, seconds }),
          );
        }
      }
      rows.push({
        c,
        b: medianRun(turns.b),
        k: medianRun(turns.k),
        r: medianRun(turns.r),
        f: flask ? medianRun(turns.f) : undefined,
      });
    }
    const fmt = (r) =>
      r
        ? `${Math.round(r.rps).toString().padStart(7)} ${r.p50.toFixed(2).padStart(6)} ${r.p99.toFixed(2).padStart(7)}`
        : "      -      -       -";
    console.log(
      "\nconns | keel serve: req/s   p50 ms  p99 ms | bare node http: req/s p50 p99 | flask+sklearn: req/s p50 p99 | raw+model: req/s p50 p99 | keel/bare  keel/flask  raw+model/bare",
    );
    for (const { c, b, k, r, f } of rows) {
      const ratioF = f ? `${(k.rps / f.rps).toFixed(2)}x` : "-";
      console.log(
        `${String(c).padStart(5)} | ${fmt(k)} | ${fmt(b)} | ${fmt(f)} | ${fmt(r)} | ${(k.rps / b.rps).toFixed(2).padStart(8)}  ${ratioF.padStart(9)}  ${(r.rps / b.rps).toFixed(2).padStart(14)}   errors: keel ${k.errors}, raw+model ${r.errors}`,
      );
    }
    const fixed = await openLoop("http://127.0.0.1:18402/v2/models/flights/infer", V2, {
      rate: 1000,
      seconds,
    });
    console.log(
      `\nkeel serve at a fixed 1,000 req/s: achieved ${Math.round(fixed.rps)} req/s, p50 ${fixed.p50.toFixed(2)} ms, p99 ${fixed.p99.toFixed(2)} ms, errors ${fixed.errors} (target p99 < 10 ms)`,
    );
  } finally {
    for (const s of servers) await s.stop();
  }
  const out = join(CACHE, "preds.parquet");
  const p = spawnSync(
    process.execPath,
    [CLI, "predict", m.modelDir, "--input", m.test, "--output", out, "--json"],
    { encoding: "utf8" },
  );
  if (p.status !== 0) throw new Error(p.stderr);
  const r = JSON.parse(p.stdout);
  console.log(
    `keel predict: ${r.rows} rows in ${r.seconds.toFixed(2)} s = ${Math.round(r.rowsPerSecond).toLocaleString("en-US")} rows/s (target >= 1,000,000; includes loading, reading and writing Parquet)`,
  );
}

await main();

/** The turn with the median requests/s (its latencies come with it), with the errors of all turns. */
function medianRun(turns) {
  const median = [...turns].sort((a, b) => a.rps - b.rps)[Math.floor(turns.length / 2)];
  return { ...median, errors: turns.reduce((sum, t) => sum + t.errors, 0) };
}
