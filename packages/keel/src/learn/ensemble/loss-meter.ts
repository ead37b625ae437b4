/**
 * The mean loss of fixed rows, measured after every boosting iteration (the training curve on a
 * subsample, and the validation loss early stopping watches). Binary log loss runs in the
 * WebAssembly kernel (an exp and a log1p per row: ~4x the JavaScript `Math` calls); other
 * losses use their JavaScript definition.
 */
import type { BoostingLoss } from "./boosting-loss.js";
import type { ShardPool } from "./shard-pool.js";

/**
 * A function giving the mean `loss` over `rows` of `raw` (row-major scores) and `y`, as they are
 * when it is called. `raw` and `y` must live in `pool`'s arena (the kernel addresses them there).
 */
export function lossMeter(
  pool: ShardPool,
  loss: BoostingLoss,
  raw: Float64Array,
  y: Float64Array,
  rows: Int32Array,
): () => number {
  if (loss.spec.name !== "binary") return () => loss.loss(raw, y, rows);
  const at = pool.arena.take(Int32Array, rows.length);
  at.set(rows);
  const kernels = pool.kernels;
  return () => kernels.binaryLoss(raw.byteOffset, y.byteOffset, at.byteOffset, 0, at.length) / at.length;
}
