import type { Rng } from "../core/random.js";
import { splitThreshold } from "./float32-threshold.js";
import type { RankedFeatures } from "./ranked-features.js";
import { type TreeArrays, TreeBuffer } from "./tree-arrays.js";

/** The target a CART tree is grown on. */
export type CartTarget =
  | { readonly kind: "classification"; readonly y: Int32Array; readonly nClasses: number }
  | { readonly kind: "regression"; readonly y: Float64Array };

/** Split quality: scikit-learn's criteria. */
export type CartCriterion = "gini" | "entropy" | "squared_error";

/** Resolved growth limits (absolute counts). */
export interface CartOptions {
  /** Impurity measure. */
  readonly criterion: CartCriterion;
  /** Maximum depth (Infinity for none). */
  readonly maxDepth: number;
  /** A node with fewer samples is a leaf. */
  readonly minSamplesSplit: number;
  /** Each child keeps at least this many samples. */
  readonly minSamplesLeaf: number;
  /** Features examined per split (1..nFeatures); constant features do not count. */
  readonly maxFeatures: number;
}

/** A grown tree and the weighted impurity decrease credited to each feature. */
export interface CartResult {
  /** The tree (class probabilities or means per node). */
  readonly tree: TreeArrays;
  /** Unnormalized impurity decrease per feature (scikit-learn's feature_importances_ before normalizing). */
  readonly importances: Float64Array;
}

const GINI = 0;
const ENTROPY = 1;
const MSE = 2;

/**
 * Grows one CART tree depth-first with exact split search (scikit-learn's BestSplitter):
 * every boundary between distinct float32 values present in a node is a candidate. Per node
 * and feature the rows are grouped by rank, by counting into a histogram when the feature has
 * few distinct values compared with the node's rows and by sorting rank keys otherwise.
 * Rows with NaN are tried on both sides of each candidate (and alone on the right).
 *
 * `weights` are per-row sample weights (bootstrap counts for forests; rows with weight 0 are
 * left out); `rng` draws the features tried at each node.
 */
export class CartBuilder {
  readonly #data: RankedFeatures;
  readonly #target: CartTarget;
  readonly #opts: CartOptions;
  readonly #crit: number;
  /** Stats per row group: [weight, class weights...] or [weight, sum wy, sum wy^2]. */
  readonly #S: number;
  // Scratch, sized once per builder and reused across nodes (and trees).
  readonly #hist: Float64Array;
  readonly #histCount: Int32Array;
  readonly #keys: Float64Array;
  readonly #gRank: Int32Array;
  readonly #gStats: Float64Array;
  readonly #gCount: Int32Array;
  readonly #missing: Float64Array;
  readonly #left: Float64Array;
  readonly #leftMissing: Float64Array;
  readonly #bestLeft: Float64Array;
  readonly #features: Int32Array;
  readonly #value: Float64Array;
  readonly #childStats: Float64Array;
  // Result of the last #findSplit.
  #bestFeature = -1;
  #bestRank = 0;
  #bestThreshold = 0;
  #bestMissingLeft = false;
  /** NaN rows of the feature last gathered. */
  #lastMissingCount = 0;

  /** A builder for trees over `data` and `target` with limits `opts`. */
  constructor(data: RankedFeatures, target: CartTarget, opts: CartOptions) {
    this.#data = data;
    this.#target = target;
    this.#opts = opts;
    this.#crit = opts.criterion === "gini" ? GINI : opts.criterion === "entropy" ? ENTROPY : MSE;
    if ((this.#crit === MSE) !== (target.kind === "regression")) {
      throw new RangeError(`criterion ${opts.criterion} does not fit a ${target.kind} target`);
    }
    const S = target.kind === "classification" ? 1 + target.nClasses : 3;
    this.#S = S;
    let maxD = 0;
    for (let j = 0; j < data.nFeatures; j++) maxD = Math.max(maxD, data.nDistinct[j]!);
    this.#hist = new Float64Array((maxD + 1) * S);
    this.#histCount = new Int32Array(maxD + 1);
    this.#keys = new Float64Array(data.nRows);
    this.#gRank = new Int32Array(maxD + 1);
    this.#gStats = new Float64Array((maxD + 1) * S);
    this.#gCount = new Int32Array(maxD + 1);
    this.#missing = new Float64Array(S);
    this.#left = new Float64Array(S);
    this.#leftMissing = new Float64Array(S);
    this.#bestLeft = new Float64Array(S);
    this.#features = Int32Array.from({ length: data.nFeatures }, (_, j) => j);
    this.#value = new Float64Array(Math.max(1, S - 1));
    this.#childStats = new Float64Array(2 * S);
  }

  /** Grows a tree on the rows with positive `weights` (all rows, weight 1, when null). */
  build(rng: Rng, weights: Float64Array | null = null): CartResult {
    const n = this.#data.nRows;
    // The feature order is part of the random state: restart it so a tree depends only on `rng`.
    for (let j = 0; j < this.#features.length; j++) this.#features[j] = j;
    const w = weights ?? new Float64Array(n).fill(1);
    let m = 0;
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) if (w[i]! > 0) idx[m++] = i;
    const S = this.#S;
    const nOut = this.#target.kind === "classification" ? this.#target.nClasses : 1;
    const tree = new TreeBuffer(nOut, 256);
    const importances = new Float64Array(this.#data.nFeatures);
    // Depth-first stack: [start, end, depth, parent, isLeft] and node stats.
    let cap = 64;
    let meta = new Int32Array(cap * 5);
    let stats = new Float64Array(cap * S);
    let top = 0;
    this.#rowStats(idx, 0, m, w, stats, 0);
    pushNode(meta, 0, 0, m, 0, -1, 0);
    top = 1;
    const s = new Float64Array(S);
    while (top > 0) {
      top--;
      const start = meta[top * 5]!;
      const end = meta[top * 5 + 1]!;
      const depth = meta[top * 5 + 2]!;
      const parent = meta[top * 5 + 3]!;
      const isLeft = meta[top * 5 + 4]!;
      for (let k = 0; k < S; k++) s[k] = stats[top * S + k]!;
      const id = tree.addLeaf(this.#nodeValue(s), s[0]!);
      if (parent >= 0) tree.linkChild(parent, id, isLeft === 1);
      const count = end - start;
      const impurity = this.#impurity(s, 0);
      const o = this.#opts;
      if (
        depth >= o.maxDepth ||
        count < o.minSamplesSplit ||
        count < 2 * o.minSamplesLeaf ||
        this.#isPure(s, impurity) ||
        !this.#findSplit(idx, start, end, w, s, rng)
      ) {
        continue;
      }
      const f = this.#bestFeature;
      const mid = this.#partition(idx, start, end, f, this.#bestRank, this.#bestMissingLeft);
      tree.setSplit(id, f, this.#bestThreshold, this.#bestMissingLeft);
      const cs = this.#childStats;
      for (let k = 0; k < S; k++) {
        cs[k] = this.#bestLeft[k]!;
        cs[S + k] = s[k]! - this.#bestLeft[k]!;
      }
      importances[f]! += s[0]! * impurity - cs[0]! * this.#impurity(cs, 0) - cs[S]! * this.#impurity(cs, S);
      if (top + 2 > cap) {
        cap *= 2;
        const m2 = new Int32Array(cap * 5);
        m2.set(meta);
        meta = m2;
        const s2 = new Float64Array(cap * S);
        s2.set(stats);
        stats = s2;
      }
      // Push right first so the left child is built next (preorder ids, like scikit-learn).
      pushNode(meta, top, mid, end, depth + 1, id, 0);
      for (let k = 0; k < S; k++) stats[top * S + k] = cs[S + k]!;
      top++;
      pushNode(meta, top, start, mid, depth + 1, id, 1);
      for (let k = 0; k < S; k++) stats[top * S + k] = cs[k]!;
      top++;
    }
    return { tree: tree.finish(), importances };
  }

  #rowStats(
    idx: Int32Array,
    start: number,
    end: number,
    w: Float64Array,
    out: Float64Array,
    o: number,
  ): void {
    const S = this.#S;
    out.fill(0, o, o + S);
    const t = this.#target;
    if (t.kind === "classification") {
      for (let k = start; k < end; k++) {
        const r = idx[k]!;
        out[o]! += w[r]!;
        out[o + 1 + t.y[r]!]! += w[r]!;
      }
    } else {
      for (let k = start; k < end; k++) {
        const r = idx[k]!;
        const wy = w[r]! * t.y[r]!;
        out[o]! += w[r]!;
        out[o + 1]! += wy;
        out[o + 2]! += wy * t.y[r]!;
      }
    }
  }

  #nodeValue(s: Float64Array): Float64Array {
    const v = this.#value;
    const wt = s[0]!;
    if (this.#crit === MSE) v[0] = s[1]! / wt;
    else for (let k = 0; k < v.length; k++) v[k] = s[1 + k]! / wt;
    return v;
  }

  #impurity(s: Float64Array, o: number): number {
    const wt = s[o]!;
    if (wt <= 0) return 0;
    if (this.#crit === MSE) {
      const mean = s[o + 1]! / wt;
      return Math.max(0, s[o + 2]! / wt - mean * mean);
    }
    let acc = 0;
    for (let k = 1; k < this.#S; k++) {
      const p = s[o + k]! / wt;
      if (this.#crit === GINI) acc += p * p;
      else if (p > 0) acc -= p * Math.log2(p);
    }
    return this.#crit === GINI ? 1 - acc : acc;
  }

  #isPure(s: Float64Array, impurity: number): boolean {
    if (this.#crit !== MSE) return impurity <= Number.EPSILON;
    // Relative to the scale of y: sum y^2 / w - mean^2 loses digits when |y| is large.
    return impurity <= 1e-12 * Math.max(1, s[2]! / s[0]!);
  }

  /** Tries up to maxFeatures non-constant features in random order; false when none splits. */
  #findSplit(
    idx: Int32Array,
    start: number,
    end: number,
    w: Float64Array,
    s: Float64Array,
    rng: Rng,
  ): boolean {
    const p = this.#data.nFeatures;
    const features = this.#features;
    let bestProxy = Number.NEGATIVE_INFINITY;
    this.#bestFeature = -1;
    let visited = 0;
    for (let i = 0; i < p && visited < this.#opts.maxFeatures; i++) {
      const j = i + rng.int(p - i);
      const f = features[j]!;
      features[j] = features[i]!;
      features[i] = f;
      const groups = this.#gather(idx, start, end, w, f);
      const missingCount = this.#lastMissingCount;
      if (groups === 0 || (groups === 1 && missingCount === 0)) continue; // constant here
      visited++;
      bestProxy = this.#sweep(f, groups, missingCount, end - start, s, bestProxy);
    }
    return this.#bestFeature >= 0;
  }

  /**
   * Groups the node's rows by rank of feature f into #gRank/#gStats/#gCount (ascending rank)
   * and the NaN rows into #missing / #lastMissingCount; returns the number of groups.
   */
  #gather(idx: Int32Array, start: number, end: number, w: Float64Array, f: number): number {
    const S = this.#S;
    const n = this.#data.nRows;
    const D = this.#data.nDistinct[f]!;
    const ranks = this.#data.ranks;
    const base = f * n;
    const m = end - start;
    const t = this.#target;
    const cls = t.kind === "classification";
    const yc = cls ? t.y : null;
    const yr = cls ? null : t.y;
    const gRank = this.#gRank;
    const gStats = this.#gStats;
    const gCount = this.#gCount;
    let G = 0;
    if (D <= 4 * m) {
      // Counting: one pass over the rows into a histogram over all ranks, then compact.
      const hist = this.#hist;
      const cnt = this.#histCount;
      hist.fill(0, 0, (D + 1) * S);
      cnt.fill(0, 0, D + 1);
      for (let k = start; k < end; k++) {
        const row = idx[k]!;
        const r = ranks[base + row]!;
        const wr = w[row]!;
        const o = r * S;
        cnt[r]!++;
        hist[o]! += wr;
        if (yc !== null) hist[o + 1 + yc[row]!]! += wr;
        else {
          const wy = wr * yr![row]!;
          hist[o + 1]! += wy;
          hist[o + 2]! += wy * yr![row]!;
        }
      }
      for (let r = 0; r < D; r++) {
        if (cnt[r] === 0) continue;
        gRank[G] = r;
        gCount[G] = cnt[r]!;
        for (let k = 0, a = r * S, b = G * S; k < S; k++) gStats[b + k] = hist[a + k]!;
        G++;
      }
      for (let k = 0; k < S; k++) this.#missing[k] = hist[D * S + k]!;
      this.#lastMissingCount = cnt[D]!;
      return G;
    }
    // Sorting: keys rank * m + position sort by rank, then one pass accumulates the groups.
    const keys = this.#keys;
    for (let k = 0; k < m; k++) keys[k] = ranks[base + idx[start + k]!]! * m + k;
    const sorted = m <= 48 ? insertionSort(keys, m) : keys.subarray(0, m).sort();
    const miss = this.#missing;
    miss.fill(0);
    let missCount = 0;
    let cur = -1;
    let o = -S;
    for (let k = 0; k < m; k++) {
      const key = sorted[k]!;
      const r = Math.floor(key / m);
      const row = idx[start + (key - r * m)]!;
      const wr = w[row]!;
      let target: Float64Array;
      let at: number;
      if (r === D) {
        missCount++;
        target = miss;
        at = 0;
      } else {
        if (r !== cur) {
          cur = r;
          o = G * S;
          gRank[G] = r;
          gCount[G] = 0;
          gStats.fill(0, o, o + S);
          G++;
        }
        gCount[G - 1]!++;
        target = gStats;
        at = o;
      }
      target[at]! += wr;
      if (yc !== null) target[at + 1 + yc[row]!]! += wr;
      else {
        const wy = wr * yr![row]!;
        target[at + 1]! += wy;
        target[at + 2]! += wy * yr![row]!;
      }
    }
    this.#lastMissingCount = missCount;
    return G;
  }

  /** Scans the split points of feature f's groups; returns the new best proxy. */
  #sweep(f: number, G: number, missCount: number, count: number, s: Float64Array, bestProxy: number): number {
    const S = this.#S;
    const L = this.#left;
    const LM = this.#leftMissing;
    const M = this.#missing;
    const gStats = this.#gStats;
    const gCount = this.#gCount;
    const msl = this.#opts.minSamplesLeaf;
    L.fill(0);
    LM.set(M);
    let cL = 0;
    for (let g = 0; g < G; g++) {
      const o = g * S;
      for (let k = 0; k < S; k++) {
        L[k]! += gStats[o + k]!;
        LM[k]! += gStats[o + k]!;
      }
      cL += gCount[g]!;
      const last = g === G - 1;
      if (last && missCount === 0) break;
      // Missing right (also the "non-missing left, missing right" split after the last group).
      if (cL >= msl && count - cL >= msl) {
        const proxy = this.#proxy(L, s);
        if (proxy > bestProxy) {
          bestProxy = proxy;
          this.#record(f, g, last, L, cL, false, count, missCount);
        }
      }
      if (!last && missCount > 0 && cL + missCount >= msl && count - cL - missCount >= msl) {
        const proxy = this.#proxy(LM, s);
        if (proxy > bestProxy) {
          bestProxy = proxy;
          this.#record(f, g, false, LM, cL + missCount, true, count, missCount);
        }
      }
    }
    return bestProxy;
  }

  #record(
    f: number,
    g: number,
    last: boolean,
    left: Float64Array,
    cL: number,
    missingLeft: boolean,
    count: number,
    missCount: number,
  ): void {
    const values = this.#data.values[f]!;
    const r = this.#gRank[g]!;
    this.#bestFeature = f;
    this.#bestRank = r;
    this.#bestThreshold = last
      ? Number.POSITIVE_INFINITY
      : splitThreshold(values[r]!, values[this.#gRank[g + 1]!]!);
    // No NaN seen here: future NaNs follow the bigger child when the feature had NaN in training
    // (scikit-learn's rule), else go right, so trees of NaN-free features carry no missing-value
    // flags and ONNX Runtime takes its fast path (as in the histogram grower).
    this.#bestMissingLeft =
      missCount === 0 ? this.#data.hasMissing[f] === 1 && cL >= count - cL : missingLeft;
    this.#bestLeft.set(left);
  }

  /** Higher is better; equal to minus the children's weighted impurity up to a node constant. */
  #proxy(L: Float64Array, s: Float64Array): number {
    const wL = L[0]!;
    const wR = s[0]! - wL;
    if (wL <= 0 || wR <= 0) return Number.NEGATIVE_INFINITY;
    if (this.#crit === MSE) {
      const sL = L[1]!;
      const sR = s[1]! - sL;
      return (sL * sL) / wL + (sR * sR) / wR;
    }
    let a = 0;
    let b = 0;
    if (this.#crit === GINI) {
      for (let k = 1; k < this.#S; k++) {
        const l = L[k]!;
        const r = s[k]! - l;
        a += l * l;
        b += r * r;
      }
      return a / wL + b / wR;
    }
    for (let k = 1; k < this.#S; k++) {
      const l = L[k]!;
      const r = s[k]! - l;
      if (l > 0) a += l * Math.log(l / wL);
      if (r > 0) b += r * Math.log(r / wR);
    }
    return a + b;
  }

  /** Moves rows going left to the front of [start, end); returns the first right position. */
  #partition(
    idx: Int32Array,
    start: number,
    end: number,
    f: number,
    rankCut: number,
    missingLeft: boolean,
  ): number {
    const n = this.#data.nRows;
    const D = this.#data.nDistinct[f]!;
    const ranks = this.#data.ranks;
    const base = f * n;
    let i = start;
    let j = end - 1;
    while (i <= j) {
      const r = ranks[base + idx[i]!]!;
      if (r <= rankCut || (r === D && missingLeft)) i++;
      else {
        const tmp = idx[i]!;
        idx[i] = idx[j]!;
        idx[j] = tmp;
        j--;
      }
    }
    return i;
  }
}

function pushNode(
  meta: Int32Array,
  at: number,
  start: number,
  end: number,
  depth: number,
  parent: number,
  isLeft: number,
): void {
  const o = at * 5;
  meta[o] = start;
  meta[o + 1] = end;
  meta[o + 2] = depth;
  meta[o + 3] = parent;
  meta[o + 4] = isLeft;
}

// Small nodes: cheaper than a native sort call on a fresh subarray.
function insertionSort(keys: Float64Array, m: number): Float64Array {
  for (let i = 1; i < m; i++) {
    const v = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > v) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = v;
  }
  return keys;
}
