/**
 * The shared tree representation: flat typed arrays indexed by node id (node 0 is the root),
 * used by decision trees, random forests and gradient boosting, by the TypeScript predictor and
 * by the ONNX converter.
 *
 * Semantics, exactly those of ONNX `ai.onnx.ml` TreeEnsembleClassifier/Regressor (opset 3) with
 * `nodes_modes = BRANCH_LT`:
 * - internal node `i` (`feature[i] >= 0`): go to `left[i]` when `fround(x[feature[i]]) < threshold[i]`
 *   (the "true" branch), else to `right[i]`; a NaN goes left when `missingLeft[i] === 1`
 *   (ONNX `nodes_missing_value_tracks_true`), else right;
 * - leaf `i` (`feature[i] === -1`, `left[i] === right[i] === -1`): outputs
 *   `value[i * nOutputs .. (i + 1) * nOutputs)`; internal nodes carry their values too (the
 *   training distribution at that node), which the ONNX converter ignores.
 * Thresholds are float32 numbers (see float32-threshold.ts), so ONNX Runtime's float32
 * comparisons give the same leaves as {@link leafIndex}.
 */
export interface TreeArrays {
  /** Number of nodes. */
  readonly nodeCount: number;
  /** Values per node: class count for classification trees, 1 for regression and boosting. */
  readonly nOutputs: number;
  /** Feature index tested at each node; -1 for a leaf. */
  readonly feature: Int32Array;
  /** float32 threshold: `fround(x) < threshold` goes left. 0 for a leaf. */
  readonly threshold: Float32Array;
  /** Left child id ("true" branch); -1 for a leaf. */
  readonly left: Int32Array;
  /** Right child id ("false" branch); -1 for a leaf. */
  readonly right: Int32Array;
  /** 1 when NaN goes left at this node. */
  readonly missingLeft: Uint8Array;
  /** `nodeCount * nOutputs` values: class probabilities, a mean, or a boosting leaf score. */
  readonly value: Float64Array;
  /** Training weight (weighted sample count) that reached each node. */
  readonly weight: Float64Array;
}

/** A growable {@link TreeArrays} under construction (nodes are appended, then `finish()`). */
export class TreeBuffer {
  readonly #nOutputs: number;
  #size = 0;
  #feature: Int32Array;
  #threshold: Float32Array;
  #left: Int32Array;
  #right: Int32Array;
  #missingLeft: Uint8Array;
  #value: Float64Array;
  #weight: Float64Array;

  /** An empty tree with `nOutputs` values per node. */
  constructor(nOutputs: number, capacity = 64) {
    this.#nOutputs = nOutputs;
    this.#feature = new Int32Array(capacity);
    this.#threshold = new Float32Array(capacity);
    this.#left = new Int32Array(capacity);
    this.#right = new Int32Array(capacity);
    this.#missingLeft = new Uint8Array(capacity);
    this.#value = new Float64Array(capacity * nOutputs);
    this.#weight = new Float64Array(capacity);
  }

  /** Number of nodes so far. */
  get size(): number {
    return this.#size;
  }

  /** Appends a leaf with `values` (length nOutputs) and training `weight`; returns its id. */
  addLeaf(values: ArrayLike<number>, weight: number): number {
    if (this.#size === this.#feature.length) this.#grow();
    const id = this.#size++;
    this.#feature[id] = -1;
    this.#left[id] = -1;
    this.#right[id] = -1;
    this.#threshold[id] = 0;
    this.#missingLeft[id] = 0;
    this.#weight[id] = weight;
    const k = this.#nOutputs;
    for (let c = 0; c < k; c++) this.#value[id * k + c] = values[c]!;
    return id;
  }

  /** Turns leaf `id` into a split; its children are set later with {@link setChildren}. */
  setSplit(id: number, feature: number, threshold: number, missingLeft: boolean): void {
    this.#feature[id] = feature;
    this.#threshold[id] = threshold;
    this.#missingLeft[id] = missingLeft ? 1 : 0;
  }

  /** Links split node `parent` to its left (true) or right (false) `child`. */
  linkChild(parent: number, child: number, isLeft: boolean): void {
    if (isLeft) this.#left[parent] = child;
    else this.#right[parent] = child;
  }

  /** Overwrites the values of node `id`. */
  setValue(id: number, values: ArrayLike<number>): void {
    const k = this.#nOutputs;
    for (let c = 0; c < k; c++) this.#value[id * k + c] = values[c]!;
  }

  /** The finished tree, trimmed to size (the buffer must not be used afterwards). */
  finish(): TreeArrays {
    const n = this.#size;
    return {
      nodeCount: n,
      nOutputs: this.#nOutputs,
      feature: this.#feature.slice(0, n),
      threshold: this.#threshold.slice(0, n),
      left: this.#left.slice(0, n),
      right: this.#right.slice(0, n),
      missingLeft: this.#missingLeft.slice(0, n),
      value: this.#value.slice(0, n * this.#nOutputs),
      weight: this.#weight.slice(0, n),
    };
  }

  #grow(): void {
    const cap = this.#feature.length * 2;
    const grow = <T extends Int32Array | Float32Array | Uint8Array | Float64Array>(a: T, size: number): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.#feature = grow(this.#feature, cap);
    this.#threshold = grow(this.#threshold, cap);
    this.#left = grow(this.#left, cap);
    this.#right = grow(this.#right, cap);
    this.#missingLeft = grow(this.#missingLeft, cap);
    this.#weight = grow(this.#weight, cap);
    this.#value = grow(this.#value, cap * this.#nOutputs);
  }
}

/** Depth of a tree (a single leaf has depth 0). */
export function treeDepth(tree: TreeArrays): number {
  const depth = new Int32Array(tree.nodeCount);
  let max = 0;
  // Children always have larger ids than their parent, so one forward pass suffices.
  for (let i = 0; i < tree.nodeCount; i++) {
    if (tree.feature[i]! < 0) continue;
    const d = depth[i]! + 1;
    depth[tree.left[i]!] = d;
    depth[tree.right[i]!] = d;
    if (d > max) max = d;
  }
  return max;
}

/** Number of leaves of a tree. */
export function leafCount(tree: TreeArrays): number {
  let n = 0;
  for (let i = 0; i < tree.nodeCount; i++) if (tree.feature[i]! < 0) n++;
  return n;
}
