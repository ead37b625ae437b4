import type { Matrix } from "../core/matrix.js";
import type { Rng } from "../core/random.js";
import { rowRange } from "../core/row-range.js";
import { splitThreshold } from "../tree/float32-threshold.js";
import { distinctOfSorted } from "../tree/ranked-features.js";
import { Float32Table, float32Bits } from "./float32-table.js";

/**
 * Feature binning for histogram gradient boosting (scikit-learn's `_BinMapper`): at most
 * `maxBins` bins of non-missing values per feature plus one bin for NaN.
 *
 * Edges are float32 thresholds (see float32-threshold.ts): value `x` falls in bin
 * `#{edges e : e <= fround(x)}`, so "bin <= b" is exactly `fround(x) < edges[b]`, the test the
 * exported trees use. A feature with at most `maxBins` distinct values gets one bin per value;
 * otherwise the edges follow the quantiles of a subsample (scikit-learn's
 * `percentile(..., method="midpoint")` at `linspace(0, 100, maxBins + 1)[1:-1]`), each moved to
 * the float32 threshold between the two distinct values around it.
 */
export interface BinMapper {
  /** Bin edges per feature (ascending float32 values); feature j has `edges[j].length + 1` bins. */
  readonly edges: readonly Float32Array[];
  /** Index of the NaN bin (= maxBins, the same for every feature). */
  readonly missingBin: number;
  /** 1 when the feature had NaN in the data the bins were fitted on. */
  readonly hasMissing: Uint8Array;
}

/** Rows used to find quantile edges (scikit-learn's `subsample=2e5`). */
export const BIN_SUBSAMPLE = 200_000;

/** Fits bin edges on `rows` of `X` (all rows when omitted), subsampling above {@link BIN_SUBSAMPLE}. */
export function fitBinMapper(X: Matrix, maxBins: number, rng: Rng, rows?: Uint32Array): BinMapper {
  let use = rows ?? new Uint32Array(rowRange(0, X.nRows).buffer);
  if (use.length > BIN_SUBSAMPLE) {
    const perm = use.slice();
    for (let i = 0; i < BIN_SUBSAMPLE; i++) {
      const j = i + rng.int(perm.length - i);
      const t = perm[i]!;
      perm[i] = perm[j]!;
      perm[j] = t;
    }
    use = perm.subarray(0, BIN_SUBSAMPLE);
  }
  const edges: Float32Array[] = [];
  const hasMissing = new Uint8Array(X.nCols);
  for (let j = 0; j < X.nCols; j++) {
    const col = X.columns[j]!;
    const sample = new Float64Array(use.length);
    for (let i = 0; i < use.length; i++) sample[i] = col[use[i]!]!;
    edges.push(featureEdges(sample, maxBins));
    for (let i = 0; i < (rows?.length ?? X.nRows); i++) {
      if (Number.isNaN(col[rows ? rows[i]! : i]!)) {
        hasMissing[j] = 1;
        break;
      }
    }
  }
  return { edges, missingBin: maxBins, hasMissing };
}

function featureEdges(values: Float64Array, maxBins: number): Float32Array {
  const few = fewDistinct(values, maxBins);
  if (few) {
    const out = new Float32Array(Math.max(0, few.length - 1));
    for (let i = 0; i + 1 < few.length; i++) out[i] = splitThreshold(few[i]!, few[i + 1]!);
    return out;
  }
  const sorted = Float32Array.from(values).sort(); // NaN last
  const distinct = distinctOfSorted(sorted);
  let n = sorted.length;
  while (n > 0 && Number.isNaN(sorted[n - 1]!)) n--;
  const out: number[] = [];
  for (let q = 1; q < maxBins; q++) {
    const pos = (q / maxBins) * (n - 1);
    const v = (sorted[Math.floor(pos)]! + sorted[Math.ceil(pos)]!) / 2;
    // Largest distinct value <= v, then the float32 threshold towards the next one.
    let lo = 0;
    let hi = distinct.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (distinct[mid]! <= v) lo = mid;
      else hi = mid - 1;
    }
    if (lo >= distinct.length - 1) continue;
    const e = splitThreshold(distinct[lo]!, distinct[lo + 1]!);
    if (out.length === 0 || e > out[out.length - 1]!) out.push(e);
  }
  return Float32Array.from(out);
}

/**
 * The distinct float32 values of `values` (NaN excluded, ascending, -0 and 0 one value) when
 * there are at most `limit`, else null: one hashing pass instead of a sort, for the common
 * feature with few values.
 */
function fewDistinct(values: Float64Array, limit: number): Float32Array | null {
  const seen = new Float32Table(limit + 1);
  const found: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Number.isNaN(x)) continue;
    const bits = float32Bits(x);
    if (seen.get(bits) >= 0) continue;
    seen.set(bits, 0);
    found.push(x);
    if (found.length > limit + 1) return null; // -0 and 0 may both be in; one more is too many
  }
  const distinct = distinctOfSorted(Float32Array.from(found).sort());
  return distinct.length <= limit ? distinct : null;
}

/** Distinct values per feature whose bin binning remembers (beyond that: binary search). */
const BIN_MEMO = 4096;

/** Number of non-missing bins of feature `j`. */
export function binCount(mapper: BinMapper, j: number): number {
  return mapper.edges[j]!.length + 1;
}

/** Bins `X` row-major (`out[i * nCols + j]`), the layout histogram building scans. */
export function binRowMajor(X: Matrix, mapper: BinMapper): Uint8Array {
  const n = X.nRows;
  const p = X.nCols;
  const out = new Uint8Array(n * p);
  for (let j = 0; j < p; j++) {
    const col = X.columns[j]!;
    const e = mapper.edges[j]!;
    const ne = e.length;
    // Features repeat their values: each distinct value is binary-searched once.
    const memo = new Float32Table(BIN_MEMO);
    for (let i = 0; i < n; i++) {
      const x = col[i]!;
      let b: number;
      if (Number.isNaN(x)) b = mapper.missingBin;
      else {
        const bits = float32Bits(x);
        b = memo.get(bits);
        if (b < 0) {
          const v = Math.fround(x);
          // Number of edges <= v.
          let lo = 0;
          let hi = ne;
          while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (e[mid]! <= v) lo = mid + 1;
            else hi = mid;
          }
          b = lo;
          memo.set(bits, b);
        }
      }
      out[i * p + j] = b;
    }
  }
  return out;
}
