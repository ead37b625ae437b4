// bench/monitor detector part: updates per second of each concept-drift detector (River's
// defaults) on a seeded stream whose distribution changes every 1M values, so drifts, warnings and
// the auto-resets after them are part of what is timed. Numbers: N(0, 1) then N(1, 1)...; errors
// (binary detectors): rate 10% then 30%... Timed: the update loop only (`update(x)` and reading
// `driftDetected`), the stream is generated beforehand.
import * as detectors from "../../packages/keel/dist/monitor/detectors/index.js";

const SEGMENT = 1_000_000;

// mulberry32: a small seeded generator, so the stream is the same on every run.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function numberStream(n, seed) {
  const r = rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const mean = Math.floor(i / SEGMENT) % 2;
    out[i] = mean + Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  }
  return out;
}

function errorStream(n, seed) {
  const r = rng(seed);
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = r() < (Math.floor(i / SEGMENT) % 2 === 0 ? 0.1 : 0.3);
  return out;
}

const DETECTORS = [
  { name: "DDM", make: () => new detectors.Ddm(), binary: true, target: 5e6 },
  { name: "EDDM", make: () => new detectors.Eddm(), binary: true },
  { name: "HDDM_A", make: () => new detectors.HddmA(), binary: true },
  { name: "Page-Hinkley", make: () => new detectors.PageHinkley(), binary: false, target: 5e6 },
  { name: "ADWIN", make: () => new detectors.Adwin(), binary: false, target: 1e6 },
  { name: "KSWIN", make: () => new detectors.Kswin(), binary: false, small: true },
];

function run(detector, xs) {
  let drifts = 0;
  const t0 = performance.now();
  for (let i = 0; i < xs.length; i++) {
    if (detector.update(xs[i]).driftDetected) drifts++;
  }
  return { seconds: (performance.now() - t0) / 1000, drifts };
}

/** Times every detector; `n` values per stream (`kswinN` for KSWIN). */
export function benchDetectors({ n, kswinN, repeats }) {
  const numbers = numberStream(n, 1);
  const errors = errorStream(n, 2);
  console.log(
    `\ndetector updates per second (River defaults; stream changes every ${SEGMENT.toLocaleString("en")} values; best of ${repeats}):`,
  );
  console.log("detector        values       seconds   updates/s   drifts  target");
  const rows = [];
  for (const d of DETECTORS) {
    const all = d.binary ? errors : numbers;
    const xs = d.small ? all.slice(0, kswinN) : all;
    let best;
    for (let r = 0; r < repeats; r++) {
      const res = run(d.make(), xs);
      if (best === undefined || res.seconds < best.seconds) best = res;
    }
    const rate = xs.length / best.seconds;
    const target =
      d.target === undefined ? "" : `>= ${d.target / 1e6}M/s: ${rate >= d.target ? "met" : "MISSED"}`;
    console.log(
      `${d.name.padEnd(14)} ${xs.length.toLocaleString("en").padStart(10)}  ${best.seconds.toFixed(3).padStart(8)}  ${(rate / 1e6).toFixed(2).padStart(8)}M  ${String(best.drifts).padStart(6)}  ${target}`,
    );
    rows.push({ name: d.name, values: xs.length, rate, drifts: best.drifts });
  }
  return rows;
}
