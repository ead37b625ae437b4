// ONNX batch prediction for bench/learn: rows/s of ONNX Runtime (onnxruntime-node) scoring one
// batch with a 100-tree depth-6 boosted ensemble exported by Keel, beside xgboost's own
// predict_proba with the same ensemble size on the same rows (issue #4 target: >= 1M rows/s).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "packages", "keel", "dist", "learn");
const { HistGradientBoostingClassifier } = await import(join(dist, "ensemble", "index.js"));
const { exportOnnx } = await import(join(dist, "onnx", "export-onnx.js"));

/** Rounds, depth and learning rate of the measured ensemble (xgboost's settings, 100 rounds). */
export const PREDICT_ENSEMBLE = { trees: 100, depth: 6, learningRate: 0.1 };

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Fits the ensemble on `X`/`y`, exports it, and times `repeats` ONNX Runtime runs over all rows of
 * `Xt` in one batch (float32 tensors built beforehand, so only the session run is timed).
 * Returns `{ seconds, rowsPerSecond, nodes, missingFlags }`.
 */
export async function onnxBatchPredict(X, y, Xt, repeats) {
  const est = new HistGradientBoostingClassifier({
    maxIter: PREDICT_ENSEMBLE.trees,
    maxDepth: PREDICT_ENSEMBLE.depth,
    maxLeafNodes: null,
    learningRate: PREDICT_ENSEMBLE.learningRate,
    minSamplesLeaf: 1,
    minChildWeight: 1,
    l2Regularization: 1,
    earlyStopping: false,
  });
  est.fit(X, y, { nClasses: 2 });
  const inputs = X.names.map((name) => ({ name, kind: "numeric" }));
  const { bytes } = exportOnnx(est, { inputs });
  const session = await ort.InferenceSession.create(bytes);
  const feeds = {};
  X.names.forEach((name, j) => {
    feeds[name] = new ort.Tensor("float32", Float32Array.from(Xt.columns[j]), [Xt.nRows, 1]);
  });
  await session.run(feeds); // warm-up
  const times = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    await session.run(feeds);
    times.push((performance.now() - t0) / 1000);
  }
  const seconds = median(times);
  let missingFlags = 0;
  for (const t of est.fitted_.trees) for (const m of t.missingLeft) missingFlags += m;
  return { seconds, rowsPerSecond: Xt.nRows / seconds, missingFlags };
}
