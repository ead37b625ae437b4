import { type Matrix, toRowMajor } from "../core/matrix.js";

/** The k nearest training rows of each query row: indices and Euclidean distances, nearest first. */
export interface Neighbors {
  /** k per query, row-major. */
  readonly indices: Int32Array;
  /** k per query, row-major. */
  readonly distances: Float64Array;
  /** Neighbors per query. */
  readonly k: number;
}

/**
 * Brute-force k-nearest-neighbour search over row-major training data (exact; fine for the
 * tabular sizes kNN is used on). Ties keep the lower training index, like a stable sort.
 */
export function kNearest(
  train: Float64Array,
  nTrain: number,
  d: number,
  query: Matrix,
  k: number,
): Neighbors {
  const q = toRowMajor(query);
  const n = query.nRows;
  const kk = Math.min(k, nTrain);
  const indices = new Int32Array(n * kk);
  const distances = new Float64Array(n * kk);
  const bestD = new Float64Array(kk);
  const bestI = new Int32Array(kk);
  for (let r = 0; r < n; r++) {
    let size = 0;
    const qo = r * d;
    for (let t = 0; t < nTrain; t++) {
      const to = t * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const diff = q[qo + j]! - train[to + j]!;
        s += diff * diff;
      }
      if (size < kk || s < bestD[size - 1]!) {
        // Insertion into the sorted top-k (k is small).
        let pos = size < kk ? size++ : kk - 1;
        while (pos > 0 && bestD[pos - 1]! > s) {
          bestD[pos] = bestD[pos - 1]!;
          bestI[pos] = bestI[pos - 1]!;
          pos--;
        }
        bestD[pos] = s;
        bestI[pos] = t;
      }
    }
    for (let j = 0; j < kk; j++) {
      indices[r * kk + j] = bestI[j]!;
      distances[r * kk + j] = Math.sqrt(bestD[j]!);
    }
  }
  return { indices, distances, k: kk };
}

/** Neighbor weights of one query (scikit-learn's `_get_weights`: exact matches take all the weight). */
export function neighborWeights(
  distances: Float64Array,
  offset: number,
  k: number,
  mode: "uniform" | "distance",
  out: Float64Array,
): void {
  if (mode === "uniform") {
    out.fill(1, 0, k);
    return;
  }
  let exact = false;
  for (let j = 0; j < k; j++) if (distances[offset + j] === 0) exact = true;
  for (let j = 0; j < k; j++) {
    const dist = distances[offset + j]!;
    out[j] = exact ? (dist === 0 ? 1 : 0) : 1 / dist;
  }
}
