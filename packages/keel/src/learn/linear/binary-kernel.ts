/**
 * The binary logistic loss over rows [start, end) of row-major `X` (`d` values per row): writes
 * the loss to out[0], the intercept gradient to out[1] and the weight gradients to out[2..].
 * Row-major because each row is read twice (score, then gradient) while it is in cache.
 * Self-contained on purpose (no outer names): its source also runs inside a worker thread
 * (see parallel-binary-objective.ts).
 */
export function binaryLossKernel(
  X: Float64Array,
  d: number,
  y: Int32Array,
  w: Float64Array,
  b: number,
  start: number,
  end: number,
  out: Float64Array,
): void {
  const g = new Float64Array(d);
  let loss = 0;
  let gb = 0;
  for (let i = start; i < end; i++) {
    const o = i * d;
    let z = b;
    for (let j = 0; j < d; j++) z += w[j]! * X[o + j]!;
    // One exp per row: e = exp(-|z|) gives both log(1 + e^z) and the sigmoid without overflow.
    const e = Math.exp(z > 0 ? -z : z);
    const yi = y[i]!;
    loss += Math.max(z, 0) + Math.log1p(e) - yi * z;
    const r = (z >= 0 ? 1 : e) / (1 + e) - yi;
    gb += r;
    for (let j = 0; j < d; j++) g[j]! += r * X[o + j]!;
  }
  out[0] = loss;
  out[1] = gb;
  for (let j = 0; j < d; j++) out[2 + j] = g[j]!;
}
