// The drift bench's data: a seeded reference and current Parquet file (ROWS x 20 columns, 14
// numerical and 6 categorical, some drifted, some with nulls), generated once by DuckDB and cached,
// plus one CSV per column and side (one value per line, nulls as `nan` / empty) for the Python
// peer, which has no Parquet reader (apt's python3 has no pyarrow or pandas).
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataSession } from "../../packages/keel/dist/data/engine/duckdb-session.js";

/** Where the files live (override with KEEL_BENCH_MONITOR_CACHE). */
export const CACHE_DIR = process.env.KEEL_BENCH_MONITOR_CACHE ?? join(tmpdir(), "keel-bench-monitor");

// Uniforms from a hash of one BIGINT (row * 4096 + stream; hash(i, k) of two values correlates
// across streams): the same values whatever DuckDB's thread count or order.
// Stream numbers are offset by 1000 on the current side so the two samples are independent.
const MACROS = [
  "CREATE OR REPLACE MACRO u(i, k) AS ((hash(i * 4096 + k) >> 11)::DOUBLE + 0.5) / 9007199254740992.0",
  "CREATE OR REPLACE MACRO z(i, k) AS sqrt(-2 * ln(u(i, k))) * cos(2 * pi() * u(i, k + 500))",
];

/**
 * Column name -> [reference expression, current expression] over row `i` and stream offset `s`.
 * Drifted columns (by Evidently's defaults, threshold 0.1) end in `_drift`.
 */
const COLUMNS = {
  n00_normal: ["z(i, s + 1)", "z(i, s + 1)"],
  n01_normal_drift: ["z(i, s + 2)", "0.3 + z(i, s + 2)"],
  n02_lognormal: ["exp(0.5 * z(i, s + 3))", "exp(0.5 * z(i, s + 3))"],
  n03_lognormal_drift: ["exp(0.5 * z(i, s + 4))", "1.3 * exp(0.5 * z(i, s + 4))"],
  n04_uniform: ["100 * u(i, s + 5)", "100 * u(i, s + 5)"],
  n05_age_int: ["floor(18 + 61 * u(i, s + 6))::INTEGER", "floor(18 + 61 * u(i, s + 6))::INTEGER"],
  n06_count_drift: ["floor(-3 * ln(u(i, s + 7)))::INTEGER", "floor(-3.6 * ln(u(i, s + 7)))::INTEGER"],
  n07_price_nulls: [
    "CASE WHEN u(i, s + 8) < 0.05 THEN NULL ELSE round(exp(3 + z(i, s + 9)), 2) END",
    "CASE WHEN u(i, s + 8) < 0.05 THEN NULL ELSE round(exp(3 + z(i, s + 9)), 2) END",
  ],
  n08_missing_change: [
    "CASE WHEN u(i, s + 10) < 0.1 THEN NULL ELSE 5 + 2 * z(i, s + 11) END",
    "CASE WHEN u(i, s + 10) < 0.2 THEN NULL ELSE 5 + 2 * z(i, s + 11) END",
  ],
  n09_bimodal_drift: [
    "CASE WHEN u(i, s + 12) < 0.7 THEN z(i, s + 13) ELSE 4 + z(i, s + 13) END",
    "CASE WHEN u(i, s + 12) < 0.5 THEN z(i, s + 13) ELSE 4 + z(i, s + 13) END",
  ],
  n10_small_shift: ["10 + z(i, s + 14)", "10.05 + z(i, s + 14)"],
  n11_exponential: ["-ln(u(i, s + 15))", "-ln(u(i, s + 15))"],
  n12_heavy_tail: ["z(i, s + 16) / sqrt(u(i, s + 17))", "z(i, s + 16) / sqrt(u(i, s + 17))"],
  n13_flag_int: ["(u(i, s + 18) < 0.2)::INTEGER", "(u(i, s + 18) < 0.2)::INTEGER"],
  c00_country: [
    "'C' || lpad(floor(50 * u(i, s + 19) ^ 2)::VARCHAR, 2, '0')",
    "'C' || lpad(floor(50 * u(i, s + 19) ^ 2)::VARCHAR, 2, '0')",
  ],
  c01_device_drift: [
    "(['mobile', 'desktop', 'tablet', 'tv'])[1 + floor(4 * u(i, s + 20) ^ 1.5)::INTEGER]",
    "(['mobile', 'desktop', 'tablet', 'tv'])[1 + floor(4 * u(i, s + 20) ^ 0.8)::INTEGER]",
  ],
  c02_city: [
    "'city-' || floor(1000 * u(i, s + 21) ^ 3)::VARCHAR",
    "'city-' || floor(1000 * u(i, s + 21) ^ 3)::VARCHAR",
  ],
  c03_plan_new_drift: [
    "(['free', 'basic', 'pro', 'team', 'enterprise'])[1 + floor(5 * u(i, s + 22) ^ 2)::INTEGER]",
    "CASE WHEN u(i, s + 23) < 0.15 THEN 'trial' ELSE (['free', 'basic', 'pro', 'team', 'enterprise'])[1 + floor(5 * u(i, s + 22) ^ 2)::INTEGER] END",
  ],
  c04_browser_nulls: [
    "CASE WHEN u(i, s + 24) < 0.03 THEN NULL ELSE 'b' || floor(8 * u(i, s + 25) ^ 2)::VARCHAR END",
    "CASE WHEN u(i, s + 24) < 0.03 THEN NULL ELSE 'b' || floor(8 * u(i, s + 25) ^ 2)::VARCHAR END",
  ],
  c05_segment_drift: [
    "'seg' || floor(20 * u(i, s + 26))::VARCHAR",
    "'seg' || floor(20 * u(i, s + 26) ^ 1.4)::VARCHAR",
  ],
};

/** Names of the numerical and categorical columns. */
export const NUMERICAL = Object.keys(COLUMNS).filter((c) => c.startsWith("n"));
export const CATEGORICAL = Object.keys(COLUMNS).filter((c) => c.startsWith("c"));

/** Paths of one size's files: `{ reference, current, peerDir }`. */
export function files(rows, cols) {
  const tag = `${rows}x${cols}`;
  return {
    reference: join(CACHE_DIR, `reference-${tag}.parquet`),
    current: join(CACHE_DIR, `current-${tag}.parquet`),
    peerDir: join(CACHE_DIR, `peer-${tag}`),
  };
}

/** The first `cols` columns (at most 20), numerical and categorical interleaved by name order. */
export function columnNames(cols) {
  const all = Object.keys(COLUMNS);
  if (cols > all.length) throw new Error(`--cols ${cols}: the bench defines ${all.length} columns`);
  // Keep the mix when fewer columns are asked: alternate numerical / categorical while both last.
  const out = [];
  const n = [...NUMERICAL];
  const c = [...CATEGORICAL];
  while (out.length < cols) {
    const takeCat = c.length > 0 && (n.length === 0 || out.length % 3 === 2);
    out.push((takeCat ? c : n).shift());
  }
  return out;
}

/** Builds the Parquet files and the peer's CSVs once; returns their paths. */
export async function ensureData(rows, cols) {
  const f = files(rows, cols);
  const names = columnNames(cols);
  mkdirSync(CACHE_DIR, { recursive: true });
  const ready =
    existsSync(f.reference) &&
    existsSync(f.current) &&
    names.every((n) => existsSync(join(f.peerDir, `current-${n}.csv`)));
  if (ready) return { ...f, names, generated: false };
  const t0 = performance.now();
  await DataSession.use(async (session) => {
    for (const sql of MACROS) await session.run(sql);
    for (const [side, path, offset] of [
      ["reference", f.reference, 0],
      ["current", f.current, 1000],
    ]) {
      const select = names.map((n) => `${COLUMNS[n][side === "reference" ? 0 : 1]} AS ${n}`).join(",\n  ");
      const tmp = `${path}.tmp`;
      await session.run(
        `COPY (SELECT ${select.replaceAll("s + ", `${offset} + `)} FROM range(${rows}) AS t(i) ORDER BY i) TO '${tmp}' (FORMAT parquet, COMPRESSION zstd)`,
      );
      renameSync(tmp, path);
      mkdirSync(f.peerDir, { recursive: true });
      for (const n of names) {
        // One value per line: numbers at full precision with NaN for null, text with "" for null.
        const out = join(f.peerDir, `${side}-${n}.csv`);
        const nullText = n.startsWith("n") ? "nan" : "";
        await session.run(
          `COPY (SELECT ${n} FROM read_parquet('${path}')) TO '${out}.tmp' (FORMAT csv, HEADER false, NULLSTR '${nullText}', QUOTE '')`,
        );
        renameSync(`${out}.tmp`, out);
      }
    }
  });
  console.log(
    `generated ${rows} x ${cols} reference and current in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${CACHE_DIR}`,
  );
  return { ...f, names, generated: true };
}
