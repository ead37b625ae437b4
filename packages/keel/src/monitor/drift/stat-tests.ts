/**
 * The drift tests Keel offers, by Evidently's names, with Evidently's default thresholds and drift
 * rules: p-value tests drift when the p-value is below the threshold (KS: at or below), distances
 * drift when the distance is at or above it.
 */
import { invalidParam } from "../../errors.js";
import {
  type ColumnValues,
  categoryCounts,
  runLengths,
  sizeOf,
  unionDistinctCount,
} from "./column-values.js";
import { binnedShares, histogramCounts, sturgesEdges } from "./stats/binning.js";
import { hellinger, jensenShannon, klDivergence, psi } from "./stats/divergences.js";
import { chiSquare, proportionsZTest } from "./stats/frequency-tests.js";
import { ks2Samp } from "./stats/ks-2samp.js";
import { populationStd, wasserstein } from "./stats/wasserstein.js";

/** Names of the drift tests (Evidently's `stattest` names). */
export const STAT_TEST_NAMES = [
  "ks",
  "wasserstein",
  "chisquare",
  "z",
  "jensenshannon",
  "psi",
  "kl_div",
  "hellinger",
] as const;

/** One of {@link STAT_TEST_NAMES}. */
export type StatTestName = (typeof STAT_TEST_NAMES)[number];

/** Column kinds a test compares. */
export type DriftKind = "numerical" | "categorical";

/** What a test computed. */
export interface StatTestOutcome {
  /** The drift score compared with the threshold: a p-value or a distance. */
  readonly score: number;
  /** The underlying test statistic when the score is a p-value (KS D, chi-square, z). */
  readonly statistic?: number;
  /** Extra detail, e.g. "exact" or "asymp" for KS. */
  readonly detail?: string;
}

/** A drift test. */
export interface StatTest {
  /** Evidently's name. */
  readonly name: StatTestName;
  /** Human name, as Evidently displays it. */
  readonly displayName: string;
  /** Column kinds it applies to. */
  readonly kinds: readonly DriftKind[];
  /** Threshold when none is given. */
  readonly defaultThreshold: number;
  /** "p-value" scores drift when small, "distance" scores when large. */
  readonly score: "p-value" | "distance";
  /** Whether `score` against `threshold` means drift. */
  drifted(score: number, threshold: number): boolean;
  /** Runs the test on two non-empty sides. */
  run(reference: ColumnValues, current: ColumnValues): StatTestOutcome;
}

const numerical = (v: ColumnValues): Float64Array => {
  if (v.kind !== "numerical") throw new TypeError("expected numerical values");
  return v.sorted;
};

const below = (s: number, t: number) => s < t;
const atOrAbove = (s: number, t: number) => s >= t;

// Evidently's chi-square: current counts against reference counts scaled to the current size.
function runChiSquare(ref: ColumnValues, cur: ColumnValues): StatTestOutcome {
  const rc = categoryCounts(ref);
  const cc = categoryCounts(cur);
  const keys = [...new Set([...rc.keys(), ...cc.keys()])];
  const k = sizeOf(cur) / sizeOf(ref);
  const expected = keys.map((key) => (rc.get(key) ?? 0) * k);
  const observed = keys.map((key) => cc.get(key) ?? 0);
  const r = chiSquare(observed, expected);
  return { score: r.pValue, statistic: r.statistic };
}

function runZ(ref: ColumnValues, cur: ColumnValues): StatTestOutcome {
  const rc = categoryCounts(ref);
  const cc = categoryCounts(cur);
  if (rc.size === 1 && cc.size === 1 && [...rc.keys()][0] === [...cc.keys()][0])
    return { score: 1, statistic: 0 };
  const first = sortedKeys(ref, cur)[0] as string;
  const nr = sizeOf(ref);
  const nc = sizeOf(cur);
  const r = proportionsZTest(nr - (rc.get(first) ?? 0), nr, nc - (cc.get(first) ?? 0), nc);
  return { score: r.pValue, statistic: r.statistic };
}

// Python's sorted() of the union: numbers numerically, text by code point.
function sortedKeys(ref: ColumnValues, cur: ColumnValues): string[] {
  const keys = [...new Set([...categoryCounts(ref).keys(), ...categoryCounts(cur).keys()])];
  return ref.kind === "numerical" ? keys.sort((a, b) => Number(a) - Number(b)) : keys.sort();
}

function runHellinger(ref: ColumnValues, cur: ColumnValues): StatTestOutcome {
  if (ref.kind === "numerical" && cur.kind === "numerical") {
    // Sturges bins over the distinct pooled values, density histograms (Evidently's numerical branch).
    const distinct = runLengths(mergeSorted(ref.sorted, cur.sorted)).values;
    const edges = sturgesEdges(
      distinct[0] as number,
      distinct[distinct.length - 1] as number,
      distinct.length,
    );
    const density = (sorted: Float64Array) => {
      const counts = histogramCounts(sorted, edges);
      let total = 0;
      for (const c of counts) total += c;
      return counts.map((c, i) => c / ((edges[i + 1] as number) - (edges[i] as number)) / total);
    };
    const width = ((edges[edges.length - 1] as number) - (edges[0] as number)) / (edges.length - 1);
    return { score: hellinger(density(ref.sorted), density(cur.sorted), width) };
  }
  const rc = categoryCounts(ref);
  const cc = categoryCounts(cur);
  const keys = [...new Set([...rc.keys(), ...cc.keys()])];
  const nr = sizeOf(ref);
  const nc = sizeOf(cur);
  return {
    score: hellinger(
      keys.map((k) => (rc.get(k) ?? 0) / nr),
      keys.map((k) => (cc.get(k) ?? 0) / nc),
    ),
  };
}

/** Two sorted arrays merged into one sorted array. */
export function mergeSorted(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length)
    out[k++] = (a[i] as number) <= (b[j] as number) ? (a[i++] as number) : (b[j++] as number);
  while (i < a.length) out[k++] = a[i++] as number;
  while (j < b.length) out[k++] = b[j++] as number;
  return out;
}

const TESTS: Readonly<Record<StatTestName, StatTest>> = {
  ks: {
    name: "ks",
    displayName: "K-S p_value",
    kinds: ["numerical"],
    defaultThreshold: 0.05,
    score: "p-value",
    drifted: (s, t) => s <= t,
    run(ref, cur) {
      const r = ks2Samp(numerical(ref), numerical(cur));
      return { score: r.pValue, statistic: r.statistic, detail: r.method };
    },
  },
  wasserstein: {
    name: "wasserstein",
    displayName: "Wasserstein distance (normed)",
    kinds: ["numerical"],
    defaultThreshold: 0.1,
    score: "distance",
    drifted: atOrAbove,
    run(ref, cur) {
      const r = numerical(ref);
      // Normed by the reference's population std, at least 0.001 (so constant columns stay finite).
      const norm = Math.max(populationStd(r), 0.001);
      return { score: wasserstein(r, numerical(cur)) / norm };
    },
  },
  chisquare: {
    name: "chisquare",
    displayName: "chi-square p_value",
    kinds: ["categorical", "numerical"],
    defaultThreshold: 0.05,
    score: "p-value",
    drifted: below,
    run: runChiSquare,
  },
  z: {
    name: "z",
    displayName: "Z-test p_value",
    kinds: ["categorical", "numerical"],
    defaultThreshold: 0.05,
    score: "p-value",
    drifted: below,
    run: runZ,
  },
  jensenshannon: {
    name: "jensenshannon",
    displayName: "Jensen-Shannon distance",
    kinds: ["categorical", "numerical"],
    defaultThreshold: 0.1,
    score: "distance",
    drifted: atOrAbove,
    run(ref, cur) {
      const b = binnedShares(ref, cur, false);
      return { score: jensenShannon(b.reference, b.current) };
    },
  },
  psi: {
    name: "psi",
    displayName: "PSI",
    kinds: ["categorical", "numerical"],
    defaultThreshold: 0.1,
    score: "distance",
    drifted: atOrAbove,
    run(ref, cur) {
      const b = binnedShares(ref, cur, true);
      return { score: psi(b.reference, b.current) };
    },
  },
  kl_div: {
    name: "kl_div",
    displayName: "Kullback-Leibler divergence",
    kinds: ["categorical", "numerical"],
    defaultThreshold: 0.1,
    score: "distance",
    drifted: atOrAbove,
    run(ref, cur) {
      const b = binnedShares(ref, cur, true);
      return { score: klDivergence(b.reference, b.current) };
    },
  },
  hellinger: {
    name: "hellinger",
    displayName: "Hellinger distance",
    kinds: ["categorical", "numerical"],
    defaultThreshold: 0.1,
    score: "distance",
    drifted: atOrAbove,
    run: runHellinger,
  },
};

/**
 * The test called `name`.
 * @throws KeelError INVALID_PARAMETER_VALUE naming the allowed names.
 */
export function statTest(name: string): StatTest {
  const test = (TESTS as Record<string, StatTest>)[name];
  if (test === undefined) {
    throw invalidParam(`Unknown drift method '${name}': use one of ${STAT_TEST_NAMES.join(", ")}`);
  }
  return test;
}

/** Reference sizes up to this use p-value tests by default; above it, distances (Evidently's rule). */
export const SMALL_REFERENCE_MAX_ROWS = 1000;

/**
 * Evidently's default test (`_get_default_stattest`), from the reference's non-missing size and the
 * number of distinct values of both sides together:
 * - reference <= 1000 values: numerical with > 5 distinct values → KS; otherwise chi-square when
 *   more than 2 distinct values, else the z-test;
 * - reference > 1000 values: numerical with > 5 distinct values → normed Wasserstein; otherwise
 *   Jensen-Shannon.
 */
export function defaultStatTest(kind: DriftKind, reference: ColumnValues, current: ColumnValues): StatTest {
  const nValues = unionDistinctCount(reference, current, 5);
  if (sizeOf(reference) <= SMALL_REFERENCE_MAX_ROWS) {
    if (kind === "numerical" && nValues > 5) return TESTS.ks;
    return nValues > 2 ? TESTS.chisquare : TESTS.z;
  }
  if (kind === "numerical" && nValues > 5) return TESTS.wasserstein;
  return TESTS.jensenshannon;
}
