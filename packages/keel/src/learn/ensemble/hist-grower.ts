import { type TreeArrays, TreeBuffer } from "../tree/tree-arrays.js";
import type { BinMapper } from "./bin-mapper.js";

/** Limits of one boosting tree (absolute values). */
export interface GrowerOptions {
  /** Maximum number of leaves (Infinity for none). */
  readonly maxLeafNodes: number;
  /** Maximum depth (Infinity for none). */
  readonly maxDepth: number;
  /** Minimum rows per leaf. */
  readonly minSamplesLeaf: number;
  /** Minimum hessian sum per leaf. */
  readonly minChildWeight: number;
  /** L2 penalty on leaf values. */
  readonly l2: number;
  /** Shrinkage applied to leaf values. */
  readonly learningRate: number;
}

/** The binned training data every tree of a boosting run shares. */
export interface BinnedData {
  /** Row-major bins, `nRows * nFeatures`. */
  readonly bins: Uint8Array;
  /** Number of rows. */
  readonly nRows: number;
  /** Number of features. */
  readonly nFeatures: number;
  /** The edges the bins came from. */
  readonly mapper: BinMapper;
}

/** One grown tree plus what the booster needs to update its training scores without traversal. */
export interface GrownTree {
  /** The tree with float32 thresholds (leaf values already include the learning rate). */
  readonly tree: TreeArrays;
  /** Leaves in order: [start, end) ranges into the grower's row array, and their values. */
  readonly leafStart: Int32Array;
  /** End of each leaf's range. */
  readonly leafEnd: Int32Array;
  /** Value of each leaf. */
  readonly leafValue: Float64Array;
}

// Histogram slots per bin: gradient sum, hessian sum, row count.
const SLOT = 3;

interface Split {
  feature: number;
  bin: number;
  missingLeft: boolean;
  gain: number;
  /** Gradient and hessian sums of the left child. */
  gl: number;
  hl: number;
}

interface GrowNode {
  id: number;
  start: number;
  end: number;
  depth: number;
  g: number;
  h: number;
  hist: Float64Array | null;
  split: Split | null;
}

function growNode(start: number, end: number, depth: number, g: number, h: number): GrowNode {
  return { id: 0, start, end, depth, g, h, hist: null, split: null };
}

/**
 * Grows one regression tree on gradients/hessians over binned data, best-first (leaf-wise, like
 * LightGBM and scikit-learn's HistGradientBoosting): the open leaf with the largest gain is split
 * next until `maxLeafNodes` leaves or no positive gain remains. Each split partitions the rows
 * (stable, branch-free), builds the histogram of the smaller child and gets the larger one by
 * subtraction from the parent; children that cannot be split further (depth limit, too few rows)
 * get no histograms at all, their sums come from the split.
 *
 * Gain is `GL²/(HL+λ) + GR²/(HR+λ) - G²/(H+λ)`; a leaf's value is `-lr * G / (H + λ)`. NaN rows
 * (the missing bin) are tried on both sides of every candidate and alone on the right.
 */
export class HistGrower {
  readonly #data: BinnedData;
  readonly #opts: GrowerOptions;
  readonly #nBins: Int32Array;
  readonly #stride: number;
  readonly #pool: Float64Array[] = [];
  #scratch = new Int32Array(0);
  // Histogram offset of every (row, feature) bin, `f * stride + bin * SLOT`, row-major: saves the
  // address arithmetic in the innermost loops (Uint16 while it fits, which is the usual case).
  readonly #offsets: Uint16Array | Uint32Array;
  /** Gain credited to each feature by this grower's splits (for importances). */
  readonly gains: Float64Array;

  /** A grower over `data` with limits `opts`. */
  constructor(data: BinnedData, opts: GrowerOptions) {
    this.#data = data;
    this.#opts = opts;
    this.#nBins = Int32Array.from(data.mapper.edges, (e) => e.length + 1);
    this.#stride = (data.mapper.missingBin + 1) * SLOT;
    this.gains = new Float64Array(data.nFeatures);
    const p = data.nFeatures;
    const stride = this.#stride;
    const Offsets = p * stride <= 65536 ? Uint16Array : Uint32Array;
    const off = new Offsets(data.bins.length);
    for (let i = 0; i < data.bins.length; i++) off[i] = (i % p) * stride + data.bins[i]! * SLOT;
    this.#offsets = off;
  }

  /**
   * Grows a tree on `rows` (reordered in place, leaf by leaf) with interleaved gradient/hessian
   * pairs `gh[2r], gh[2r + 1]`, trying only features with `allowed[j] === 1`.
   */
  grow(rows: Int32Array, gh: Float64Array, allowed: Uint8Array): GrownTree {
    const o = this.#opts;
    const nFeatures = this.#data.nFeatures;
    const tree = new TreeBuffer(1, 64);
    const root = growNode(0, rows.length, 0, 0, 0);
    root.hist = this.#hist();
    buildHistogram(this.#offsets, nFeatures, rows, 0, rows.length, gh, root.hist);
    this.#totals(root);
    tree.addLeaf([this.#leafValue(root)], root.h);
    const open: GrowNode[] = [];
    const leaves: GrowNode[] = [];
    this.#consider(root, allowed, open, leaves);
    let nLeaves = 1;
    while (open.length > 0 && nLeaves < o.maxLeafNodes) {
      let best = 0;
      for (let i = 1; i < open.length; i++) if (open[i]!.split!.gain > open[best]!.split!.gain) best = i;
      const node = open[best]!;
      open.splice(best, 1);
      const split = node.split!;
      const mid = this.#partition(rows, node.start, node.end, split);
      const depth = node.depth + 1;
      const left = growNode(node.start, mid, depth, split.gl, split.hl);
      const right = growNode(mid, node.end, depth, node.g - split.gl, node.h - split.hl);
      if (this.#splittable(left) || this.#splittable(right)) {
        const smallIsLeft = mid - node.start <= node.end - mid;
        const [small, large] = smallIsLeft ? [left, right] : [right, left];
        small.hist = this.#hist();
        buildHistogram(this.#offsets, nFeatures, rows, small.start, small.end, gh, small.hist);
        large.hist = node.hist!;
        node.hist = null;
        subtractInPlace(large.hist, small.hist);
      } else this.#release(node);
      const edges = this.#data.mapper.edges[split.feature]!;
      const threshold = split.bin < edges.length ? edges[split.bin]! : Number.POSITIVE_INFINITY;
      tree.setSplit(node.id, split.feature, threshold, split.missingLeft);
      left.id = tree.addLeaf([this.#leafValue(left)], left.h);
      right.id = tree.addLeaf([this.#leafValue(right)], right.h);
      tree.linkChild(node.id, left.id, true);
      tree.linkChild(node.id, right.id, false);
      this.gains[split.feature]! += split.gain;
      nLeaves++;
      this.#consider(left, allowed, open, leaves);
      this.#consider(right, allowed, open, leaves);
    }
    for (const node of open) {
      this.#release(node);
      leaves.push(node);
    }
    leaves.sort((a, b) => a.start - b.start);
    return {
      tree: tree.finish(),
      leafStart: Int32Array.from(leaves, (l) => l.start),
      leafEnd: Int32Array.from(leaves, (l) => l.end),
      leafValue: Float64Array.from(leaves, (l) => this.#leafValue(l)),
    };
  }

  #splittable(node: GrowNode): boolean {
    return node.depth < this.#opts.maxDepth && node.end - node.start >= 2 * this.#opts.minSamplesLeaf;
  }

  // Finds the node's best split and queues it, or makes it a leaf.
  #consider(node: GrowNode, allowed: Uint8Array, open: GrowNode[], leaves: GrowNode[]): void {
    if (node.hist && this.#splittable(node)) node.split = this.#findSplit(node, allowed);
    if (node.split) open.push(node);
    else {
      this.#release(node);
      leaves.push(node);
    }
  }

  #release(node: GrowNode): void {
    if (node.hist) this.#pool.push(node.hist);
    node.hist = null;
  }

  #leafValue(node: GrowNode): number {
    return (-this.#opts.learningRate * node.g) / (node.h + this.#opts.l2 + 1e-15);
  }

  // Node sums from its histogram (feature 0 covers every row).
  #totals(node: GrowNode): void {
    const hist = node.hist!;
    let g = 0;
    let h = 0;
    const nb = this.#nBins[0]!;
    for (let b = 0; b < nb; b++) {
      g += hist[b * SLOT]!;
      h += hist[b * SLOT + 1]!;
    }
    const m = this.#data.mapper.missingBin * SLOT;
    node.g = g + hist[m]!;
    node.h = h + hist[m + 1]!;
  }

  #hist(): Float64Array {
    const hist = this.#pool.pop() ?? new Float64Array(this.#data.nFeatures * this.#stride);
    hist.fill(0);
    return hist;
  }

  #findSplit(node: GrowNode, allowed: Uint8Array): Split | null {
    const o = this.#opts;
    const lambda = o.l2;
    const msl = o.minSamplesLeaf;
    const mcw = o.minChildWeight;
    const hist = node.hist!;
    const G = node.g;
    const H = node.h;
    const C = node.end - node.start;
    const parentScore = (G * G) / (H + lambda);
    const stride = this.#stride;
    const missOff = this.#data.mapper.missingBin * SLOT;
    const hasMissing = this.#data.mapper.hasMissing;
    let best: Split | null = null;
    let bestGain = 0;
    for (let f = 0; f < this.#data.nFeatures; f++) {
      if (allowed[f] !== 1) continue;
      const fo = f * stride;
      const nb = this.#nBins[f]!;
      const mg = hist[fo + missOff]!;
      const mh = hist[fo + missOff + 1]!;
      const mc = hist[fo + missOff + 2]!;
      let gl = 0;
      let hl = 0;
      let cl = 0;
      for (let b = 0; b < nb; b++) {
        const at = fo + b * SLOT;
        gl += hist[at]!;
        hl += hist[at + 1]!;
        cl += hist[at + 2]!;
        const last = b === nb - 1;
        if (last && mc === 0) break;
        // Missing right (after the last bin: all non-missing left, NaN alone right).
        let cr = C - cl;
        if (cl >= msl && cr >= msl && hl >= mcw && H - hl >= mcw) {
          const gr = G - gl;
          const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (H - hl + lambda) - parentScore;
          if (gain > bestGain) {
            bestGain = gain;
            // No NaN seen at this node: NaN at predict time follows the bigger child when the
            // feature had NaN in training, else goes right, so the exported trees need no
            // missing-value flags for NaN-free features (ONNX Runtime's fast path).
            const ml = mc === 0 && hasMissing[f] === 1 && cl >= cr;
            best = { feature: f, bin: b, missingLeft: ml, gain, gl, hl };
          }
        }
        if (last || mc === 0) continue;
        const gml = gl + mg;
        const hml = hl + mh;
        const cml = cl + mc;
        cr = C - cml;
        if (cml >= msl && cr >= msl && hml >= mcw && H - hml >= mcw) {
          const gr = G - gml;
          const gain = (gml * gml) / (hml + lambda) + (gr * gr) / (H - hml + lambda) - parentScore;
          if (gain > bestGain) {
            bestGain = gain;
            best = { feature: f, bin: b, missingLeft: true, gain, gl: gml, hl: hml };
          }
        }
      }
    }
    return best;
  }

  // Stable: each side keeps ascending row order, so later histogram scans read memory in order.
  #partition(rows: Int32Array, start: number, end: number, split: Split): number {
    if (this.#scratch.length < end - start) this.#scratch = new Int32Array(rows.length);
    const { bins, nFeatures } = this.#data;
    return partitionRows(
      bins,
      nFeatures,
      rows,
      start,
      end,
      split.feature,
      split.bin,
      this.#data.mapper.missingBin,
      split.missingLeft,
      this.#scratch,
    );
  }
}

/**
 * Adds the gradient, hessian and count of `rows[start..end)` to every feature's histogram, from
 * the precomputed histogram offsets of each row's bins.
 */
function buildHistogram(
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
    const gr = gh[2 * r]!;
    const hr = gh[2 * r + 1]!;
    const base = r * p;
    const stop = base + p;
    for (let j = base; j < stop; j++) {
      const o = offsets[j]!;
      hist[o]! += gr;
      hist[o + 1]! += hr;
      hist[o + 2]! += 1;
    }
  }
}

/**
 * Stable partition of `rows[start..end)` by the split (left rows first); returns the first row of
 * the right side. Branch-free: every row is written to both sides and only one cursor advances,
 * since the direction is a coin flip the CPU cannot predict.
 */
function partitionRows(
  bins: Uint8Array,
  p: number,
  rows: Int32Array,
  start: number,
  end: number,
  f: number,
  cut: number,
  missing: number,
  missingLeft: boolean,
  right: Int32Array,
): number {
  let i = start;
  let nr = 0;
  const ml = missingLeft ? 1 : 0;
  for (let k = start; k < end; k++) {
    const r = rows[k]!;
    const b = bins[r * p + f]!;
    // (b <= cut) | (missingLeft & b === missing) in integer arithmetic (the missing bin > cut).
    const goLeft = (((cut - b) >>> 31) ^ 1) | (ml & (((b ^ missing) - 1) >>> 31));
    rows[i] = r;
    right[nr] = r;
    i += goLeft;
    nr += 1 - goLeft;
  }
  for (let k = 0; k < nr; k++) rows[i + k] = right[k]!;
  return i;
}

function subtractInPlace(a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < a.length; i++) a[i]! -= b[i]!;
}
