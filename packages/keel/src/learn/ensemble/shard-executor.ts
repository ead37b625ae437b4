/**
 * Row shards of a boosting run and the per-row work done on them. The training rows are split
 * into a fixed number of shards (blocks of rows dealt round-robin); every per-row step of growing
 * a tree (gradients, row partitioning, histograms, score updates) runs shard by shard, and a
 * thread owns shards `t, t + nThreads, ...`. Shard histograms are summed in shard order, so the
 * trees depend on the shard count (fixed by the row count) but not on the number of threads.
 *
 * Everything lives in one shared WebAssembly memory (see {@link SharedArena}), where the
 * histogram and gradient kernels (wasm/boost-kernels.wat) work: the calling thread writes an
 * operation into `ctl`, `items` and `ranges`, every thread runs it on its shards, and the caller
 * reads the results.
 */
import { type LossSpec, lossFromSpec } from "./boosting-loss.js";
import { addToRows, SLOT } from "./hist-kernels.js";
import { type BoostKernels, boostKernels, SLOT_BYTES } from "./wasm/boost-kernels.js";
import type { SharedArena } from "./wasm/shared-arena.js";

/** Control words of {@link SharedBoostData.ctl}. */
export const CTL = {
  /** Operation sequence number (incremented by the caller for each operation). */
  SEQ: 0,
  /** Operations completed by worker threads (summed over workers). */
  DONE: 1,
  /** Set to 1 by a failing worker. */
  ERR: 2,
  /** Operation code (see {@link OP}). */
  OP: 3,
  /** Items of the operation. */
  COUNT: 4,
  /** Output (class) the operation is for. */
  CLASS: 5,
  /** 1 when gradients start a new iteration (multiclass softmax is recomputed). */
  PREPARE: 6,
} as const;
const CTL_WORDS = 8;

/** Operation codes. */
export const OP = {
  /** Reset each shard's rows to its sample, compute gradients, build the root histogram in slot 0. */
  GRADIENTS: 1,
  /** Partition the rows of `COUNT` split nodes and build the histogram of each item's chosen child. */
  SPLIT: 2,
  /** Add each of `COUNT` leaf values to the raw scores of its rows. */
  APPLY: 3,
  /** Stop the worker threads. */
  EXIT: 4,
} as const;

/**
 * Words per item in {@link SharedBoostData.items}: feature, cut bin, missing-left, and what to do
 * after the partition: {@link SIDE}.
 */
export const ITEM = 4;
/** Item actions of a SPLIT operation. */
export const SIDE = {
  /** Partition only. */
  NONE: 0,
  /** Partition, then build the left child's histogram. */
  LEFT: 1,
  /** Partition, then build the right child's histogram. */
  RIGHT: 2,
  /** No partition: both children are final leaves; add their values (`values[2i]`, `values[2i + 1]`). */
  LEAVES: 3,
} as const;
/** Words per (item, shard) in {@link SharedBoostData.ranges}: start, end, mid. */
export const RANGE = 3;
/** Items one operation can carry. */
export const ITEM_CAPACITY = 128;
/** Rows per block dealt to the shards round-robin (keeps each shard's rows spread over the data). */
const BLOCK_ROWS = 4096;

/** The shared state of one boosting run (typed arrays over one shared WebAssembly memory). */
export interface SharedBoostData {
  /** The memory all arrays below live in (the kernels of every thread address it). */
  readonly memory: WebAssembly.Memory;
  /** Training rows. */
  readonly nRows: number;
  /** Features. */
  readonly nFeatures: number;
  /** Raw scores per row. */
  readonly k: number;
  /** Row shards. */
  readonly nShards: number;
  /** Threads working the shards (the calling thread is thread 0). */
  readonly nThreads: number;
  /** Doubles per histogram (`nFeatures * (missingBin + 1) * SLOT`). */
  readonly histSize: number;
  /** The parts of a histogram bins can reach (see {@link histogramParts}). */
  readonly histParts: Int32Array;
  /** Index of the NaN bin. */
  readonly missingBin: number;
  /** The loss, rebuilt in each thread. */
  readonly loss: LossSpec;
  /** Column-major bins, `colBins[j * nRows + r]` (row partitioning). */
  readonly colBins: Uint8Array;
  /** Row-major bins, `bins[r * nFeatures + j]` (histogram building). */
  readonly bins: Uint8Array;
  /** Targets as numbers. */
  readonly y: Float64Array;
  /** Raw scores, row-major (`k` per row). */
  readonly raw: Float64Array;
  /** Interleaved gradient/hessian pairs. */
  readonly gh: Float64Array;
  /** Each shard's sampled rows (ascending) from `shardBase[s]`, `sampleLen[s]` of them. */
  readonly sample: Int32Array;
  /** Working copy of `sample`, reordered by partitions (each node is a range per shard). */
  readonly rows: Int32Array;
  /** Partition scratch, one stretch per shard (like `rows`). */
  readonly scratch: Int32Array;
  /** First index of each shard in `sample`/`rows` (`nShards + 1` entries). */
  readonly shardBase: Int32Array;
  /** Sampled rows per shard. */
  readonly sampleLen: Int32Array;
  /** Control words (see {@link CTL}). */
  readonly ctl: Int32Array;
  /** Operation items (see {@link ITEM}). */
  readonly items: Int32Array;
  /** Per-item, per-shard row ranges (see {@link RANGE}). */
  readonly ranges: Int32Array;
  /** Per-item leaf values (APPLY: one per item; SPLIT with {@link SIDE.LEAVES}: two per item). */
  readonly values: Float64Array;
  /** Histogram slots: `(item * nShards + shard) * histSize`. */
  readonly hists: Float64Array;
  /** Histogram slots available (items per SPLIT operation). */
  readonly histSlots: number;
}

/**
 * Shard count for `nRows` rows: fixed by the data size only, so results never depend on threads.
 * Two shards from 100,000 rows (below that a worker thread costs more than it saves; more shards
 * would only add histogram merges on the 2-core machines this is tuned for).
 */
export function shardCount(nRows: number): number {
  return Math.max(1, Math.min(2, Math.floor(nRows / 50_000)));
}

/** Inputs of {@link createSharedBoostData}. */
export interface SharedBoostInput {
  /** Row-major bins, `nRows * nFeatures`. */
  readonly bins: Uint8Array;
  /** The same bins column-major (see {@link columnMajorBins}). */
  readonly colBins: Uint8Array;
  /** Rows. */
  readonly nRows: number;
  /** Features. */
  readonly nFeatures: number;
  /** Index of the NaN bin. */
  readonly missingBin: number;
  /** Bins of each feature besides the NaN bin (at most `missingBin`). */
  readonly binCounts: ArrayLike<number>;
  /** Targets. */
  readonly y: ArrayLike<number>;
  /** The loss. */
  readonly loss: LossSpec;
  /** Raw scores per row. */
  readonly k: number;
  /** Threads to use (capped by the shard count). */
  readonly nThreads: number;
}

/**
 * The parts of a histogram that bins can reach, as (offset, length) pairs in doubles: feature
 * j's first `binCounts[j]` slots and its NaN slot, neighbours joined. The slots in between are
 * never written or read, so zeroing, copying and subtracting histograms skip them: most features
 * have far fewer distinct values than `maxBins` (months, hours, small tables).
 */
export function histogramParts(binCounts: ArrayLike<number>, missingBin: number): Int32Array {
  const stride = (missingBin + 1) * SLOT;
  const parts: number[] = [];
  const add = (start: number, length: number) => {
    const last = parts.length - 2;
    if (last >= 0 && parts[last]! + parts[last + 1]! === start) parts[last + 1]! += length;
    else parts.push(start, length);
  };
  for (let j = 0; j < binCounts.length; j++) {
    add(j * stride, Math.min(binCounts[j]!, missingBin) * SLOT);
    add(j * stride + missingBin * SLOT, SLOT);
  }
  return Int32Array.from(parts);
}

/** Row-major bins (`nRows * nFeatures`) rewritten column-major, `out[j * nRows + r]`. */
export function columnMajorBins(bins: Uint8Array, nRows: number, nFeatures: number): Uint8Array {
  const out = new Uint8Array(nRows * nFeatures);
  for (let r = 0, i = 0; r < nRows; r++)
    for (let j = 0; j < nFeatures; j++, i++) out[j * nRows + r] = bins[i]!;
  return out;
}

/**
 * Allocates the shared state of a boosting run in `arena` and fills bins, targets and shards.
 */
export function createSharedBoostData(input: SharedBoostInput, arena: SharedArena): SharedBoostData {
  const { nRows: n, nFeatures: p, missingBin, k } = input;
  const nShards = shardCount(n);
  const histSize = p * (missingBin + 1) * SLOT;
  const bins = arena.take(Uint8Array, n * p);
  bins.set(input.bins.subarray(0, n * p));
  const colBins = arena.take(Uint8Array, n * p);
  colBins.set(input.colBins.subarray(0, n * p));
  const y = arena.take(Float64Array, n);
  for (let r = 0; r < n; r++) y[r] = input.y[r]!;
  const shardBase = arena.take(Int32Array, nShards + 1);
  for (let r = 0; r < n; r++) shardBase[shardOf(r, nShards) + 1]! += 1;
  for (let s = 0; s < nShards; s++) shardBase[s + 1]! += shardBase[s]!;
  // Histogram slots for up to ITEM_CAPACITY items, within ~32 MB.
  const histSlots = Math.max(1, Math.min(ITEM_CAPACITY, Math.floor(4_000_000 / (nShards * histSize))));
  return {
    memory: arena.memory,
    nRows: n,
    nFeatures: p,
    k,
    nShards,
    nThreads: Math.max(1, Math.min(input.nThreads, nShards)),
    histSize,
    histParts: histogramParts(input.binCounts, missingBin),
    missingBin,
    loss: input.loss,
    colBins,
    bins,
    y,
    raw: arena.take(Float64Array, n * k),
    gh: arena.take(Float64Array, 2 * n),
    sample: arena.take(Int32Array, n),
    rows: arena.take(Int32Array, n),
    scratch: arena.take(Int32Array, n),
    shardBase,
    sampleLen: arena.take(Int32Array, nShards),
    ctl: arena.take(Int32Array, CTL_WORDS),
    items: arena.take(Int32Array, ITEM_CAPACITY * ITEM),
    ranges: arena.take(Int32Array, ITEM_CAPACITY * nShards * RANGE),
    values: arena.take(Float64Array, 2 * ITEM_CAPACITY),
    hists: arena.take(Float64Array, histSlots * nShards * histSize),
    histSlots,
  };
}

function shardOf(r: number, nShards: number): number {
  return Math.floor(r / BLOCK_ROWS) % nShards;
}

/** Sets each shard's sample from ascending `rows` (all rows when null). */
export function setSample(d: SharedBoostData, rows: Int32Array | null): void {
  const S = d.nShards;
  d.sampleLen.fill(0);
  const count = rows ? rows.length : d.nRows;
  for (let k = 0; k < count; k++) {
    const r = rows ? rows[k]! : k;
    const s = shardOf(r, S);
    d.sample[d.shardBase[s]! + d.sampleLen[s]!] = r;
    d.sampleLen[s]! += 1;
  }
}

/** Runs the operation in `ctl` on the shards of one thread. */
export class ShardExecutor {
  readonly #d: SharedBoostData;
  readonly #thread: number;
  readonly #loss;
  readonly #kernels: BoostKernels;
  readonly #histStride: number;

  /** This thread's kernels. */
  get kernels(): BoostKernels {
    return this.#kernels;
  }

  /** The executor of thread `thread` (0 = the calling thread). */
  constructor(d: SharedBoostData, thread: number) {
    this.#d = d;
    this.#thread = thread;
    this.#loss = lossFromSpec(d.loss, d.nRows);
    this.#kernels = boostKernels(d.memory);
    this.#histStride = (d.missingBin + 1) * SLOT_BYTES;
  }

  /** Runs the current operation on this thread's shards. */
  run(): void {
    const d = this.#d;
    const op = d.ctl[CTL.OP];
    for (let s = this.#thread; s < d.nShards; s += d.nThreads) {
      if (op === OP.GRADIENTS) this.#gradients(s);
      else if (op === OP.SPLIT) this.#split(s);
      else if (op === OP.APPLY) this.#apply(s);
    }
  }

  #gradients(s: number): void {
    const d = this.#d;
    const base = d.shardBase[s]!;
    const end = base + d.sampleLen[s]!;
    d.rows.set(d.sample.subarray(base, end), base);
    const seg = d.rows.subarray(base, end);
    if (d.ctl[CTL.PREPARE] === 1) this.#loss.prepare(d.raw, seg);
    if (d.loss.name === "binary") {
      const at = d.rows.byteOffset;
      this.#kernels.binaryGradients(d.raw.byteOffset, d.y.byteOffset, at, base, end, d.gh.byteOffset);
    } else {
      this.#loss.gradients(d.raw, d.y, seg, d.ctl[CTL.CLASS]!, d.gh);
    }
    this.#histogram(base, end, s * d.histSize);
  }

  // Fills the histogram at `hists[at..]` from rows[start..end).
  #histogram(start: number, end: number, at: number): void {
    const d = this.#d;
    const hist = d.hists.subarray(at, at + d.histSize);
    const parts = d.histParts;
    for (let k = 0; k < parts.length; k += 2)
      this.#kernels.zero(hist.byteOffset + 8 * parts[k]!, 8 * parts[k + 1]!);
    const { bins, rows, gh } = d;
    const stride = this.#histStride;
    this.#kernels.histogram(
      bins.byteOffset,
      d.nFeatures,
      stride,
      rows.byteOffset,
      start,
      end,
      gh.byteOffset,
      hist.byteOffset,
    );
  }

  #split(s: number): void {
    const d = this.#d;
    const n = d.nRows;
    const S = d.nShards;
    const count = d.ctl[CTL.COUNT]!;
    const k = this.#kernels;
    const rowsAt = d.rows.byteOffset;
    const rawStride = d.k * Float64Array.BYTES_PER_ELEMENT;
    for (let i = 0; i < count; i++) {
      const f = d.items[i * ITEM]!;
      const cut = d.items[i * ITEM + 1]!;
      const missingLeft = d.items[i * ITEM + 2] === 1;
      const side = d.items[i * ITEM + 3]!;
      const ro = (i * S + s) * RANGE;
      const start = d.ranges[ro]!;
      const end = d.ranges[ro + 1]!;
      const col = d.colBins.byteOffset + f * n;
      const ml = missingLeft ? 1 : 0;
      if (side === SIDE.LEAVES) {
        const raw = d.raw.byteOffset + d.ctl[CTL.CLASS]! * Float64Array.BYTES_PER_ELEMENT;
        const [lv, rv] = [d.values[2 * i]!, d.values[2 * i + 1]!];
        k.addSplitValues(col, rowsAt, start, end, cut, d.missingBin, ml, raw, rawStride, lv, rv);
        continue;
      }
      // Each shard's rows have their own stretch of the scratch array (one thread per shard).
      const scratch = d.scratch.byteOffset + d.shardBase[s]! * Int32Array.BYTES_PER_ELEMENT;
      const mid = k.partition(col, rowsAt, start, end, cut, d.missingBin, ml, scratch);
      d.ranges[ro + 2] = mid;
      if (side === SIDE.NONE) continue;
      const at = (i * S + s) * d.histSize;
      if (side === SIDE.LEFT) this.#histogram(start, mid, at);
      else this.#histogram(mid, end, at);
    }
  }

  #apply(s: number): void {
    const d = this.#d;
    const S = d.nShards;
    const count = d.ctl[CTL.COUNT]!;
    const c = d.ctl[CTL.CLASS]!;
    for (let i = 0; i < count; i++) {
      const ro = (i * S + s) * RANGE;
      addToRows(d.raw, d.rows, d.ranges[ro]!, d.ranges[ro + 1]!, d.k, c, d.values[i]!);
    }
  }
}
