import { type TreeArrays, TreeBuffer } from "../tree/tree-arrays.js";
import type { BinMapper } from "./bin-mapper.js";
import { SLOT } from "./hist-kernels.js";
import { ITEM, ITEM_CAPACITY, OP, RANGE, SIDE } from "./shard-executor.js";
import type { ShardPool } from "./shard-pool.js";

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

interface Split {
  feature: number;
  bin: number;
  missingLeft: boolean;
  gain: number;
  /** Gradient and hessian sums and row count of the left child. */
  gl: number;
  hl: number;
  cl: number;
}

interface GrowNode {
  id: number;
  /** Row range of the node in each shard: [start[s], end[s]). */
  start: Int32Array;
  end: Int32Array;
  count: number;
  depth: number;
  g: number;
  h: number;
  hist: Float64Array | null;
  split: Split | null;
  /** The leaf value was already added to the raw scores (see SIDE.LEAVES). */
  applied: boolean;
}

/**
 * Grows the regression trees of a boosting run on gradients/hessians over binned data held by a
 * {@link ShardPool} (whose threads do all per-row work). With a leaf limit the growth is
 * best-first (leaf-wise, like LightGBM and scikit-learn's HistGradientBoosting): the open leaf
 * with the largest gain is split next until `maxLeafNodes` leaves or no positive gain remains.
 * Without one (or one the depth limit cannot reach) every open leaf will be split, so all of them
 * are split at once, one pass of the threads per level (like xgboost's depth-wise growth); the
 * resulting tree is the same. Each split partitions the rows, builds the histogram of the smaller
 * child and gets the larger one by subtraction from the parent; children that cannot be split
 * further get no histograms at all, their sums come from the split, and when neither child can be
 * split the rows are not partitioned either: the two leaf values go straight to the raw scores.
 *
 * Gain is `GL²/(HL+λ) + GR²/(HR+λ) - G²/(H+λ)`; a leaf's value is `-lr * G / (H + λ)`. NaN rows
 * (the missing bin) are tried on both sides of every candidate and alone on the right.
 */
export class HistGrower {
  readonly #pool: ShardPool;
  readonly #mapper: BinMapper;
  readonly #opts: GrowerOptions;
  readonly #nBins: Int32Array;
  readonly #histSize: number;
  readonly #stride: number;
  readonly #levelWise: boolean;
  readonly #free: Float64Array[] = [];
  /** Gain credited to each feature by this grower's splits (for importances). */
  readonly gains: Float64Array;

  /** A grower over the pool's data, binned by `mapper`, with limits `opts`. */
  constructor(pool: ShardPool, mapper: BinMapper, opts: GrowerOptions) {
    this.#pool = pool;
    this.#mapper = mapper;
    this.#opts = opts;
    this.#nBins = Int32Array.from(mapper.edges, (e) => e.length + 1);
    this.#stride = (mapper.missingBin + 1) * SLOT;
    this.#histSize = pool.data.histSize;
    this.#levelWise =
      opts.maxLeafNodes === Number.POSITIVE_INFINITY || opts.maxLeafNodes >= 2 ** opts.maxDepth;
    this.gains = new Float64Array(pool.data.nFeatures);
  }

  /**
   * Computes the gradients of output `c` (after recomputing the per-iteration state when
   * `prepare`), grows a tree trying only features with `allowed[j] === 1`, and adds its leaf
   * values to the raw scores of the sampled rows.
   */
  grow(c: number, prepare: boolean, allowed: Uint8Array): TreeArrays {
    const pool = this.#pool;
    const d = pool.data;
    const S = d.nShards;
    const o = this.#opts;
    pool.run(OP.GRADIENTS, 0, c, prepare);
    const root = this.#node(S, 0);
    for (let s = 0; s < S; s++) {
      root.start[s] = d.shardBase[s]!;
      root.end[s] = d.shardBase[s]! + d.sampleLen[s]!;
      root.count += d.sampleLen[s]!;
    }
    root.hist = this.#merge(0);
    this.#totals(root);
    const tree = new TreeBuffer(1, 64);
    tree.addLeaf([this.#leafValue(root)], root.h);
    const open: GrowNode[] = [];
    const leaves: GrowNode[] = [];
    this.#consider(root, allowed, open, leaves);
    let nLeaves = 1;
    while (open.length > 0 && nLeaves < o.maxLeafNodes) {
      const batch = this.#levelWise
        ? open.splice(0, Math.min(open.length, d.histSlots))
        : [this.#takeBest(open)];
      const children = this.#splitBatch(batch, c);
      for (let i = 0; i < batch.length; i++) {
        const node = batch[i]!;
        const split = node.split!;
        const [left, right] = children[i]!;
        const edges = this.#mapper.edges[split.feature]!;
        const threshold = split.bin < edges.length ? edges[split.bin]! : Number.POSITIVE_INFINITY;
        tree.setSplit(node.id, split.feature, threshold, split.missingLeft);
        left.id = tree.addLeaf([this.#leafValue(left)], left.h);
        right.id = tree.addLeaf([this.#leafValue(right)], right.h);
        tree.linkChild(node.id, left.id, true);
        tree.linkChild(node.id, right.id, false);
        this.gains[split.feature]! += split.gain;
        nLeaves++;
      }
      for (const [left, right] of children) {
        this.#consider(left, allowed, open, leaves);
        this.#consider(right, allowed, open, leaves);
      }
    }
    for (const node of open) {
      this.#release(node);
      leaves.push(node);
    }
    this.#apply(leaves, c);
    return tree.finish();
  }

  #node(S: number, depth: number): GrowNode {
    return {
      id: 0,
      start: new Int32Array(S),
      end: new Int32Array(S),
      count: 0,
      depth,
      g: 0,
      h: 0,
      hist: null,
      split: null,
      applied: false,
    };
  }

  #takeBest(open: GrowNode[]): GrowNode {
    let best = 0;
    for (let i = 1; i < open.length; i++) if (open[i]!.split!.gain > open[best]!.split!.gain) best = i;
    return open.splice(best, 1)[0]!;
  }

  // Partitions every node of the batch in one pass of the threads, building the histogram of
  // each smaller child that may still be split; returns the [left, right] children.
  #splitBatch(batch: GrowNode[], c: number): [GrowNode, GrowNode][] {
    const d = this.#pool.data;
    const S = d.nShards;
    const children: [GrowNode, GrowNode][] = [];
    const sides: number[] = [];
    batch.forEach((node, i) => {
      const split = node.split!;
      const left = this.#node(S, node.depth + 1);
      const right = this.#node(S, node.depth + 1);
      left.count = split.cl;
      right.count = node.count - split.cl;
      left.g = split.gl;
      left.h = split.hl;
      right.g = node.g - split.gl;
      right.h = node.h - split.hl;
      let side: number = SIDE.LEAVES;
      if (this.#splittable(left) || this.#splittable(right)) {
        side = left.count <= right.count ? SIDE.LEFT : SIDE.RIGHT;
      } else {
        d.values[2 * i] = this.#leafValue(left);
        d.values[2 * i + 1] = this.#leafValue(right);
        left.applied = true;
        right.applied = true;
      }
      d.items[i * ITEM] = split.feature;
      d.items[i * ITEM + 1] = split.bin;
      d.items[i * ITEM + 2] = split.missingLeft ? 1 : 0;
      d.items[i * ITEM + 3] = side;
      for (let s = 0; s < S; s++) {
        d.ranges[(i * S + s) * RANGE] = node.start[s]!;
        d.ranges[(i * S + s) * RANGE + 1] = node.end[s]!;
      }
      children.push([left, right]);
      sides.push(side);
    });
    this.#pool.run(OP.SPLIT, batch.length, c);
    batch.forEach((node, i) => {
      const [left, right] = children[i]!;
      for (let s = 0; s < S; s++) {
        const mid = d.ranges[(i * S + s) * RANGE + 2]!;
        left.start[s] = node.start[s]!;
        left.end[s] = mid;
        right.start[s] = mid;
        right.end[s] = node.end[s]!;
      }
      const side = sides[i]!;
      if (side === SIDE.LEAVES) {
        this.#release(node);
        return;
      }
      const [small, large] = side === SIDE.LEFT ? [left, right] : [right, left];
      small.hist = this.#merge(i);
      large.hist = node.hist!;
      node.hist = null;
      const parts = d.histParts;
      for (let k = 0; k < parts.length; k += 2) {
        const [off, len] = [8 * parts[k]!, 8 * parts[k + 1]!];
        this.#pool.kernels.subtractFrom(large.hist.byteOffset + off, small.hist.byteOffset + off, len);
      }
    });
    return children;
  }

  // Adds every leaf's value to the raw scores of its rows, ITEM_CAPACITY leaves per pass.
  #apply(all: GrowNode[], c: number): void {
    const d = this.#pool.data;
    const S = d.nShards;
    const leaves = all.filter((l) => !l.applied);
    for (let from = 0; from < leaves.length; from += ITEM_CAPACITY) {
      const chunk = leaves.slice(from, from + ITEM_CAPACITY);
      chunk.forEach((leaf, i) => {
        d.values[i] = this.#leafValue(leaf);
        for (let s = 0; s < S; s++) {
          d.ranges[(i * S + s) * RANGE] = leaf.start[s]!;
          d.ranges[(i * S + s) * RANGE + 1] = leaf.end[s]!;
        }
      });
      this.#pool.run(OP.APPLY, chunk.length, c);
    }
  }

  // The histogram of item `i`: its shard histograms summed in shard order (reachable parts only).
  #merge(i: number): Float64Array {
    const d = this.#pool.data;
    const size = this.#histSize;
    const hist = this.#free.pop() ?? this.#pool.arena.take(Float64Array, size);
    const at = i * d.nShards * size;
    const parts = d.histParts;
    for (let k = 0; k < parts.length; k += 2) {
      const [off, len] = [parts[k]!, parts[k + 1]!];
      hist.set(d.hists.subarray(at + off, at + off + len), off);
      for (let s = 1; s < d.nShards; s++) {
        this.#pool.kernels.addInto(
          hist.byteOffset + 8 * off,
          d.hists.byteOffset + (at + s * size + off) * 8,
          8 * len,
        );
      }
    }
    return hist;
  }

  #splittable(node: GrowNode): boolean {
    return node.depth < this.#opts.maxDepth && node.count >= 2 * this.#opts.minSamplesLeaf;
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
    if (node.hist) this.#free.push(node.hist);
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
    const m = this.#mapper.missingBin * SLOT;
    node.g = g + hist[m]!;
    node.h = h + hist[m + 1]!;
  }

  #findSplit(node: GrowNode, allowed: Uint8Array): Split | null {
    const o = this.#opts;
    const lambda = o.l2;
    const msl = o.minSamplesLeaf;
    const mcw = o.minChildWeight;
    const hist = node.hist!;
    const G = node.g;
    const H = node.h;
    const C = node.count;
    const parentScore = (G * G) / (H + lambda);
    const stride = this.#stride;
    const missOff = this.#mapper.missingBin * SLOT;
    const hasMissing = this.#mapper.hasMissing;
    let best: Split | null = null;
    let bestGain = 0;
    for (let f = 0; f < this.#nBins.length; f++) {
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
        // Fewer than minSamplesLeaf rows right of this bin: so for every later one, NaN or not.
        if (C - cl < msl) break;
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
            best = { feature: f, bin: b, missingLeft: ml, gain, gl, hl, cl };
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
            best = { feature: f, bin: b, missingLeft: true, gain, gl: gml, hl: hml, cl: cml };
          }
        }
      }
    }
    return best;
  }
}
