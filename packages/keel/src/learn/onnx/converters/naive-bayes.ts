/**
 * GaussianNB with standard ops in float64 (the log-likelihood sums cancel large terms, so float32
 * would drift): jll[n, k] = base[k] - Σ_j (x[n, j] - θ[k, j])² · inv[k, j], then Softmax.
 */
import type { GaussianNBState } from "../../naive-bayes/gaussian-nb.js";
import { attr } from "../attribute.js";
import { registerConverter } from "../converter-registry.js";
import { argmaxRows, cast } from "../graph-ops.js";
import { int64Tensor, type Tensor } from "../tensor.js";

const double = (dims: number[], values: ArrayLike<number>): Tensor => ({ type: "double", dims, values });

registerConverter("GaussianNB", {
  kind: "predictor",
  convert({ g }, est, features, d) {
    const s = est.assertFitted() as GaussianNBState;
    const K = s.priors.length;
    const base = new Float64Array(K);
    const inv = new Float64Array(K * d);
    for (let k = 0; k < K; k++) {
      let b = Math.log(s.priors[k]!);
      for (let j = 0; j < d; j++) {
        b -= 0.5 * Math.log(2 * Math.PI * s.variance[k * d + j]!);
        inv[k * d + j] = 0.5 / s.variance[k * d + j]!;
      }
      base[k] = b;
    }
    const x = cast(g, features, "double", "nb_x");
    const axis1 = g.constant("nb_axis1", int64Tensor([1], [1]));
    const axis2 = g.constant("nb_axis2", int64Tensor([1], [2]));
    const [x3] = g.node("Unsqueeze", [x, axis1], {}, { outputs: ["nb_x3"] }); // [N, 1, d]
    const [diff] = g.node(
      "Sub",
      [x3!, g.constant("nb_theta", double([K, d], s.theta))],
      {},
      { outputs: ["nb_diff"] },
    );
    const [sq] = g.node("Mul", [diff!, diff!], {}, { outputs: ["nb_sq"] });
    const [weighted] = g.node(
      "Mul",
      [sq!, g.constant("nb_inv", double([K, d], inv))],
      {},
      { outputs: ["nb_weighted"] },
    );
    const [penalty] = g.node(
      "ReduceSum",
      [weighted!, axis2],
      { keepdims: attr.int(0) },
      { outputs: ["nb_penalty"] },
    );
    const [jll] = g.node(
      "Sub",
      [g.constant("nb_base", double([K], base)), penalty!],
      {},
      { outputs: ["nb_jll"] },
    );
    const [proba] = g.node("Softmax", [jll!], { axis: attr.int(1) }, { outputs: ["nb_proba64"] });
    // Labels from the float64 probabilities: casting first would merge near-ties into ties.
    return { probabilities: cast(g, proba!, "float", "nb_proba"), label: argmaxRows(g, proba!, "nb_label") };
  },
});
