// bench/monitor drift part: Keel's computeDrift on ROWS x COLS (reference and current Parquet)
// beside SciPy running the same test per column in the same run, Keel and the peer alternating.
//
// What is timed:
// - Keel: one `computeDrift(session, referenceView, currentView, options)` call, end to end: DuckDB
//   reads and decodes both Parquet files column by column, numbers arrive as Float64Arrays and are
//   sorted, categories as GROUP BY counts, then the tests, the missing/new-category summaries and
//   the report's histograms.
// - SciPy: per column, dropping missing values and the test itself on numpy arrays already in
//   memory (the peer loads the columns from CSV before the clock starts: no Parquet reader in apt's
//   python3), summed over the columns. So the peer is timed on less work than Keel.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DataSession } from "../../packages/keel/dist/data/engine/duckdb-session.js";
import { computeDrift } from "../../packages/keel/dist/monitor/drift/compute-drift.js";
import { PeerProcess } from "../lib/peer-process.mjs";
import { ensureData } from "./data.mjs";

const TARGET_SECONDS = 3;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (v, d = 3) => (v === undefined || v === null ? "-" : v.toFixed(d));

// One computeDrift call; per-column seconds from the progress callback (called before each column).
async function keelRun(session, ref, cur, methods) {
  const marks = [];
  const t0 = performance.now();
  const report = await computeDrift(session, ref, cur, {
    methods,
    onProgress: (_done, _total, column) => marks.push([column, performance.now()]),
  });
  const seconds = (performance.now() - t0) / 1000;
  const perColumn = {};
  for (let i = 0; i + 1 < marks.length; i++) perColumn[marks[i][0]] = (marks[i + 1][1] - marks[i][1]) / 1000;
  return { seconds, report, perColumn };
}

/** Runs the drift comparison for both configurations; returns the summary rows. */
export async function benchDrift({ rows, cols, repeats }) {
  const data = await ensureData(rows, cols);
  const session = await DataSession.open();
  const peer = new PeerProcess(join(dirname(fileURLToPath(import.meta.url)), "peer.py"), {
    OMP_NUM_THREADS: "2",
  });
  const summary = [];
  try {
    const ref = await session.relationFrom(data.reference);
    const cur = await session.relationFrom(data.current);
    // A first (untimed) run picks Evidently's default tests, which the peer then runs too.
    const first = await keelRun(session, ref, cur, {});
    const kinds = Object.fromEntries(first.report.columns.map((c) => [c.column, c.kind]));
    const t0 = performance.now();
    await peer.send({ cmd: "load", dir: data.peerDir, columns: kinds });
    console.log(
      `peer loaded ${data.names.length} x 2 columns in ${((performance.now() - t0) / 1000).toFixed(1)} s (untimed)`,
    );
    const defaults = Object.fromEntries(first.report.columns.map((c) => [c.column, c.method]));
    const ksForced = Object.fromEntries(
      first.report.columns.map((c) => [c.column, c.kind === "numerical" ? "ks" : c.method]),
    );
    const configs = [
      ["Evidently defaults", {}, defaults],
      [
        "KS on numerical",
        Object.fromEntries(Object.entries(ksForced).filter(([, m]) => m === "ks")),
        ksForced,
      ],
    ];
    for (const [label, keelMethods, peerMethods] of configs) {
      const keel = [];
      const other = [];
      let lastKeel;
      let lastPeer;
      for (let r = 0; r < repeats; r++) {
        lastKeel = await keelRun(session, ref, cur, keelMethods);
        keel.push(lastKeel.seconds);
        lastPeer = await peer.send({ cmd: "run", methods: peerMethods });
        other.push(lastPeer.seconds);
      }
      printDetail(label, lastKeel, lastPeer);
      summary.push({ label, keel: median(keel), peer: median(other) });
    }
  } finally {
    peer.close();
    session.close();
  }
  console.log(
    `\ndrift report, ${rows.toLocaleString("en")} + ${rows.toLocaleString("en")} rows x ${cols} columns, median of ${repeats} (seconds):`,
  );
  console.log("tests               keel   scipy   keel/scipy  target");
  for (const s of summary) {
    const ok = s.keel < s.peer && s.keel < TARGET_SECONDS ? "met" : "MISSED";
    console.log(
      `${s.label.padEnd(18)} ${fmt(s.keel, 2).padStart(5)}  ${fmt(s.peer, 2).padStart(6)}  ${fmt(s.keel / s.peer, 2).padStart(10)}  < scipy and < ${TARGET_SECONDS} s: ${ok}`,
    );
  }
  return summary;
}

function printDetail(label, keel, peer) {
  const r = keel.report;
  console.log(
    `\n${label}: ${r.numberOfDriftedColumns}/${r.numberOfColumns} columns drifted (dataset drift ${r.datasetDrift}); last repeat per column:`,
  );
  console.log("column               method         keel_score       scipy_score   |diff|    keel_s  scipy_s");
  let worst = 0;
  for (const c of r.columns) {
    const p = peer.columns[c.column];
    const diff = Math.abs((c.score ?? Number.NaN) - p.score);
    worst = Math.max(worst, diff / Math.max(1, Math.abs(p.score)));
    console.log(
      `${c.column.padEnd(20)} ${String(c.method).padEnd(13)} ${String(c.score?.toPrecision(10)).padStart(16)} ${p.score.toPrecision(10).padStart(16)}  ${diff.toExponential(1).padStart(7)}  ${fmt(keel.perColumn[c.column]).padStart(6)}  ${fmt(p.seconds).padStart(6)}${c.drifted ? "  drifted" : ""}`,
    );
  }
  console.log(`largest relative score difference Keel vs SciPy: ${worst.toExponential(2)}`);
}
