/**
 * The inner loops of histogram gradient boosting, shared by the calling thread and the worker
 * threads (see shard-executor.ts): histogram building, row partitioning and leaf application.
 */

/** Histogram slots per bin: gradient sum, hessian sum, row count. */
export const SLOT = 3;

/**
 * Adds the gradient, hessian and count of `rows[start..end)` to every feature's histogram, from
 * the precomputed histogram offsets of each row's bins (`offsets[r * p + j]`, row-major).
 */
export type HistogramKernel = (
  offsets: Uint16Array | Uint32Array,
  rows: Int32Array,
  start: number,
  end: number,
  gh: Float64Array,
  hist: Float64Array,
) => void;

/** Feature counts up to which the kernel's per-row loop is unrolled. */
const MAX_UNROLLED = 32;
const kernels = new Map<number, HistogramKernel>();

/**
 * The histogram kernel for `p` features. V8 does not unroll the short per-row feature loop,
 * which costs about 40% of the kernel's time, so up to {@link MAX_UNROLLED} features the loop is
 * generated fully unrolled (from this fixed template: no data reaches the generated source).
 */
export function histogramKernel(p: number): HistogramKernel {
  let k = kernels.get(p);
  if (k) return k;
  if (p > MAX_UNROLLED || !Number.isInteger(p) || p < 1) {
    k = (offsets, rows, start, end, gh, hist) => genericHistogram(offsets, p, rows, start, end, gh, hist);
  } else {
    const lines: string[] = [];
    for (let j = 0; j < p; j++) {
      lines.push(`o = offsets[b + ${j}]; hist[o] += g; hist[o + 1] += h; hist[o + 2] += 1;`);
    }
    const body = `for (let k = start; k < end; k++) {
  const r = rows[k]; const g = gh[2 * r]; const h = gh[2 * r + 1]; const b = r * ${p}; let o = 0;
  ${lines.join("\n  ")}
}`;
    k = new Function("offsets", "rows", "start", "end", "gh", "hist", body) as HistogramKernel;
  }
  kernels.set(p, k);
  return k;
}

function genericHistogram(
  offsets: Uint16Array | Uint32Array,
  p: number,
  rows: Int32Array,
  start: number,
  end: number,
  gh: Float64Array,
  hist: Float64Array,
): void {
  for (let k = start; k < end; k++) {
    const r = rows[k]!;
    const g = gh[2 * r]!;
    const h = gh[2 * r + 1]!;
    const base = r * p;
    const stop = base + p;
    for (let j = base; j < stop; j++) {
      const o = offsets[j]!;
      hist[o]! += g;
      hist[o + 1]! += h;
      hist[o + 2]! += 1;
    }
  }
}

/**
 * Stable partition of `rows[start..end)` by one feature's bins `col` (column-major, indexed by
 * row): rows with `bin <= cut` (or the missing bin when `missingLeft`) first. Returns the first
 * row of the right side. Branch-free: every row is written to both scratch buffers and only one
 * cursor advances, since the direction is a coin flip the CPU cannot predict.
 */
export function partitionRows(
  col: Uint8Array,
  rows: Int32Array,
  start: number,
  end: number,
  cut: number,
  missing: number,
  missingLeft: boolean,
  left: Int32Array,
  right: Int32Array,
): number {
  let nl = 0;
  let nr = 0;
  const ml = missingLeft ? 1 : 0;
  for (let k = start; k < end; k++) {
    const r = rows[k]!;
    const b = col[r]!;
    // (b <= cut) | (missingLeft & b === missing) in integer arithmetic (the missing bin > cut).
    const goLeft = (((cut - b) >>> 31) ^ 1) | (ml & (((b ^ missing) - 1) >>> 31));
    left[nl] = r;
    right[nr] = r;
    nl += goLeft;
    nr += 1 - goLeft;
  }
  rows.set(left.subarray(0, nl), start);
  rows.set(right.subarray(0, nr), start + nl);
  return start + nl;
}

/** `raw[r * K + c] += value` for every row `r` of `rows[start..end)`. */
export function addToRows(
  raw: Float64Array,
  rows: Int32Array,
  start: number,
  end: number,
  K: number,
  c: number,
  value: number,
): void {
  for (let k = start; k < end; k++) raw[rows[k]! * K + c]! += value;
}

/**
 * Adds `left` or `right` to `raw[r * K + c]` for every row of `rows[start..end)` by the same test
 * as {@link partitionRows}: the last split of a branch needs no partition, only its two leaf
 * values applied.
 */
export function addSplitValues(
  col: Uint8Array,
  rows: Int32Array,
  start: number,
  end: number,
  cut: number,
  missing: number,
  missingLeft: boolean,
  raw: Float64Array,
  K: number,
  c: number,
  left: number,
  right: number,
): void {
  for (let k = start; k < end; k++) {
    const r = rows[k]!;
    const b = col[r]!;
    const goLeft = b <= cut || (missingLeft && b === missing);
    raw[r * K + c]! += goLeft ? left : right;
  }
}
