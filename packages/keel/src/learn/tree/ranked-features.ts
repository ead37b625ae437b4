import type { Matrix } from "../core/matrix.js";

/**
 * Features as dense ranks of their distinct float32 values: what the exact CART splitter scans.
 * Ranks are computed once per fit (and shared read-only with forest workers), so split search
 * needs no per-node sorting of raw values for low-cardinality features.
 */
export interface RankedFeatures {
  /** Number of rows. */
  readonly nRows: number;
  /** Number of features. */
  readonly nFeatures: number;
  /** Column-major ranks: `ranks[j * nRows + i]` in `0..nDistinct[j]-1`, or `nDistinct[j]` for NaN. */
  readonly ranks: Int32Array;
  /** Distinct float32 values of each feature, ascending (rank r is `values[j][r]`). */
  readonly values: readonly Float32Array[];
  /** Number of distinct non-missing values per feature. */
  readonly nDistinct: Int32Array;
  /** 1 where the feature had a missing value (NaN) in the training rows. */
  readonly hasMissing: Uint8Array;
}

/** Allocates the (possibly shared) buffer that backs a typed array of `bytes` bytes. */
export type BufferAllocator = (bytes: number) => ArrayBufferLike;

/**
 * Ranks every feature of `X` after rounding to float32 (see float32-threshold.ts). `allocate`
 * lets a forest place the ranks in a SharedArrayBuffer that its workers read without copying.
 */
export function rankFeatures(
  X: Matrix,
  allocate: BufferAllocator = (b) => new ArrayBuffer(b),
): RankedFeatures {
  const n = X.nRows;
  const ranks = new Int32Array(allocate(4 * n * X.nCols));
  const values: Float32Array[] = [];
  const nDistinct = new Int32Array(X.nCols);
  const hasMissing = new Uint8Array(X.nCols);
  for (let j = 0; j < X.nCols; j++) {
    const distinct = distinctFloat32(X.columns[j]!);
    values.push(distinct);
    nDistinct[j] = distinct.length;
    rankColumn(X.columns[j]!, distinct, ranks.subarray(j * n, (j + 1) * n));
    hasMissing[j] = X.columns[j]!.some(Number.isNaN) ? 1 : 0;
  }
  return { nRows: n, nFeatures: X.nCols, ranks, values, nDistinct, hasMissing };
}

/** Sorted distinct float32 values of `col`, NaN excluded (-0 and 0 are one value). */
export function distinctFloat32(col: Float64Array): Float32Array {
  return distinctOfSorted(Float32Array.from(col).sort()); // NaN sorts last
}

/** The distinct values of ascending `sorted` (NaN last, excluded), as a new array. */
export function distinctOfSorted(sorted: Float32Array): Float32Array {
  const out = new Float32Array(sorted.length);
  let m = 0;
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]!;
    if (Number.isNaN(v)) break;
    if (m === 0 || v !== out[m - 1]) out[m++] = v;
  }
  return out.slice(0, m);
}

// Binary search per row; NaN gets rank `distinct.length`.
function rankColumn(col: Float64Array, distinct: Float32Array, out: Int32Array): void {
  const d = distinct.length;
  for (let i = 0; i < col.length; i++) {
    const x = col[i]!;
    if (Number.isNaN(x)) {
      out[i] = d;
      continue;
    }
    const v = Math.fround(x);
    let lo = 0;
    let hi = d - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (distinct[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    out[i] = lo;
  }
}
