// bench/tracking: Keel's tracking server vs raw better-sqlite3 on this machine, in one run.
// Prints single-metric REST calls/s (8 clients), batched metrics/s (log-batch, 1000 per call),
// and search p50/p95 over 10,000 runs (5 params, 5 metrics each), beside raw SQLite inserts.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { startServer } from "../../packages/keel/dist/server/start-server.js";
import { openMetadataStore } from "../../packages/keel/dist/store/open-metadata-store.js";

const here = dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const N_RUNS = Number(process.env.BENCH_RUNS ?? 10_000);
const tmp = mkdtempSync(join(tmpdir(), "keel-bench-tracking-"));

async function client(url, mode, concurrency, extra) {
  const { stdout } = await run(
    process.execPath,
    [join(here, "client.mjs"), url, mode, String(concurrency), String(SECONDS), extra],
    {
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(stdout);
}

function rawSqlite() {
  const db = new Database(join(tmp, "raw.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(
    "CREATE TABLE metrics (run_uuid TEXT, key TEXT, value REAL, timestamp INTEGER, step INTEGER, PRIMARY KEY (run_uuid, key, timestamp, step, value))",
  );
  const insert = db.prepare("INSERT INTO metrics VALUES (?, ?, ?, ?, ?)");
  let n = 0;
  let t0 = performance.now();
  const until = t0 + SECONDS * 1000;
  while (performance.now() < until) insert.run("r", "m", Math.random(), Date.now(), n++);
  const single = n / ((performance.now() - t0) / 1000);
  const many = db.transaction((rows) => {
    for (const r of rows) insert.run(...r);
  });
  let m = 0;
  t0 = performance.now();
  const until2 = t0 + SECONDS * 1000;
  while (performance.now() < until2) {
    const ts = Date.now();
    many(
      Array.from({ length: 1000 }, (_, i) => ["b", `m${i % 10}`, i * 0.5, ts, m * 100 + Math.floor(i / 10)]),
    );
    m++;
  }
  const batched = (m * 1000) / ((performance.now() - t0) / 1000);
  db.close();
  return { single, batched };
}

async function populate(storePath) {
  const store = await openMetadataStore(storePath);
  const exp = await store.createExperiment("search-bench");
  const t0 = performance.now();
  for (let i = 0; i < N_RUNS; i++) {
    const r = await store.createRun({ experimentId: exp, runName: `run-${i}` });
    await store.logBatch(r.info.runId, {
      params: Array.from({ length: 5 }, (_, k) => ({ key: `p${k}`, value: `v${(i + k) % 5}` })),
      metrics: Array.from({ length: 5 }, (_, k) => ({
        key: `m${k}`,
        value: ((i * 7919 + k * 104729) % 1000) / 1000,
        timestamp: Date.now(),
        step: 0,
      })),
    });
    await store.updateRun(r.info.runId, { status: "FINISHED", endTime: Date.now() });
  }
  const seconds = (performance.now() - t0) / 1000;
  await store.close();
  return { exp, seconds };
}

async function main() {
  console.log(
    `bench/tracking on ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, node ${process.version}, ${SECONDS}s per measure`,
  );
  const raw = rawSqlite();

  const logServer = await startServer({
    host: "127.0.0.1",
    port: 0,
    backendStoreUri: join(tmp, "log.db"),
    artifactsDestination: join(tmp, "artifacts"),
  });
  let single;
  let batched;
  try {
    const store = await openMetadataStore(join(tmp, "log.db"));
    const exp = await store.createExperiment("log-bench");
    const runIds = [];
    for (let i = 0; i < 8; i++) runIds.push((await store.createRun({ experimentId: exp })).info.runId);
    await store.close();
    single = await client(logServer.url, "log-metric", 8, JSON.stringify(runIds));
    batched = await client(logServer.url, "log-batch", 2, JSON.stringify(runIds));
  } finally {
    await logServer.close();
  }

  const { exp, seconds } = await populate(join(tmp, "search.db"));
  console.log(`populated ${N_RUNS} runs x (5 params, 5 metrics) in ${seconds.toFixed(1)}s`);
  const searchServer = await startServer({
    host: "127.0.0.1",
    port: 0,
    backendStoreUri: join(tmp, "search.db"),
    artifactsDestination: join(tmp, "artifacts"),
  });
  let search;
  try {
    search = await client(searchServer.url, "search", 1, exp);
  } finally {
    await searchServer.close();
  }

  const fmt = (n) => (n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(1));
  const rows = [
    [
      "single-metric log calls/s (8 clients)",
      fmt(single.perSecond),
      `${fmt(raw.single)} rows/s (autocommit inserts)`,
      (single.perSecond / raw.single).toFixed(2),
      ">= 3,000",
      "216 (8 threads)",
    ],
    [
      "metrics/s via log-batch (1000/call)",
      fmt(batched.perSecond),
      `${fmt(raw.batched)} rows/s (1000/txn)`,
      (batched.perSecond / raw.batched).toFixed(2),
      ">= 200,000",
      "9,044",
    ],
    [
      `search p50 ms (${N_RUNS} runs, filter+order)`,
      search.p50.toFixed(1),
      "-",
      "-",
      "< 50",
      "117 (2,000 runs)",
    ],
    [`search p95 ms`, search.p95.toFixed(1), "-", "-", "-", "-"],
  ];
  const header = [
    "measure",
    "keel",
    "peer: raw better-sqlite3",
    "keel/peer",
    "target",
    "MLflow 2.21 (issue #2)",
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
  console.log(
    `(log-metric p99 ${single.p99.toFixed(1)} ms over ${single.requests} calls; search ${search.requests} queries)`,
  );
}

try {
  await main();
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
