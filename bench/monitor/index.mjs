// bench/monitor: a drift report (Keel's computeDrift) on ROWS x COLS beside SciPy doing the same
// test per column in the same run (apt's /usr/bin/python3, SciPy 1.10), Evidently's default tests
// and again with KS forced on every numerical column; then the concept-drift detectors' updates per
// second. Targets are printed beside the figures.
//
//   npm run bench -- monitor [--rows 1000000] [--cols 20] [--repeats 3] [--stream 10000000]
//                            [--kswin-stream 200000] [--only drift|detectors]
//
// Data: generated once by DuckDB (seeded, hash-based) under /tmp/keel-bench-monitor
// (KEEL_BENCH_MONITOR_CACHE overrides); see data.mjs for the columns and drift.mjs for what each
// side times.
import { benchDetectors } from "./detectors.mjs";
import { benchDrift } from "./drift.mjs";

const args = parseArgs(process.argv.slice(2));
const rows = Number(args.rows ?? 1_000_000);
const cols = Number(args.cols ?? 20);
const repeats = Number(args.repeats ?? 3);
const n = Number(args.stream ?? 10_000_000);
const kswinN = Number(args["kswin-stream"] ?? 200_000);
for (const [k, v] of Object.entries({ rows, cols, repeats, stream: n, "kswin-stream": kswinN })) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} must be a positive integer, got ${args[k]}`);
}

console.log(
  `bench/monitor: node ${process.version}, times are wall-clock on this machine (noisy when shared)`,
);
if (args.only !== "detectors") await benchDrift({ rows, cols, repeats });
if (args.only !== "drift") benchDetectors({ n, kswinN, repeats });

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith("--")) out[a.slice(2)] = argv[++i];
  }
  return out;
}
