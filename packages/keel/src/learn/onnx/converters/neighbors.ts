/**
 * k-nearest neighbours with standard ops in float64: exact squared distances to every stored
 * training row by broadcasting ([N, T, d] — memory grows with batch × training size, the price of
 * brute force), TopK smallest (ties keep the lower training index, as the TypeScript search
 * does), scikit-learn's weights (uniform, or 1/distance with exact matches taking all weight),
 * then a weighted class vote or a weighted mean.
 *
 * Known limit: ONNX inputs are float32, so a query scaled in the graph differs from the float64
 * TypeScript query by ~1e-7 relative. Training rows at exactly equal distances in TypeScript
 * (common with integer-valued features) can then be ranked differently, changing a vote. Inputs
 * that need no in-graph scaling, or features without exact distance ties, agree exactly.
 */
import type { KNeighborsState } from "../../neighbors/k-neighbors.js";
import { attr } from "../attribute.js";
import type { ExportContext, PredictorOutputs } from "../converter-registry.js";
import { registerConverter } from "../converter-registry.js";
import { cast } from "../graph-ops.js";
import { int64Tensor, type Tensor } from "../tensor.js";

const double = (dims: number[], values: ArrayLike<number>): Tensor => ({ type: "double", dims, values });

/** Neighbour indices [N, k] (int64) and weights [N, k] (double). */
function neighbours(ctx: ExportContext, s: KNeighborsState, features: string, k: number, mode: string) {
  const { g } = ctx;
  const d = s.features.length;
  const x = cast(g, features, "double", "knn_x");
  const [x3] = g.node(
    "Unsqueeze",
    [x, g.constant("knn_axis1", int64Tensor([1], [1]))],
    {},
    { outputs: ["knn_x3"] },
  );
  const train = g.constant("knn_train", double([s.nTrain, d], s.train));
  const [diff] = g.node("Sub", [x3!, train], {}, { outputs: ["knn_diff"] }); // [N, T, d]
  const [sq] = g.node("Mul", [diff!, diff!], {}, { outputs: ["knn_sq"] });
  const axis2 = g.constant("knn_axis2", int64Tensor([1], [2]));
  const [d2] = g.node("ReduceSum", [sq!, axis2], { keepdims: attr.int(0) }, { outputs: ["knn_d2"] }); // [N, T]
  const [nearD2, idx] = g.node(
    "TopK",
    [d2!, g.constant("knn_k", int64Tensor([1], [k]))],
    { axis: attr.int(1), largest: attr.int(0), sorted: attr.int(1) },
    { outputs: ["knn_near_d2", "knn_idx"] },
  );
  let weights: string;
  if (mode === "uniform") {
    const [ones] = g.node(
      "Mul",
      [nearD2!, g.constant("knn_zero", double([1], [0]))],
      {},
      { outputs: ["knn_zeros"] },
    );
    weights = g.node("Add", [ones!, g.constant("knn_one", double([1], [1]))], {}, { outputs: ["knn_w"] })[0]!;
  } else {
    const [dist] = g.node("Sqrt", [nearD2!], {}, { outputs: ["knn_dist"] });
    const [exact] = g.node(
      "Equal",
      [dist!, g.constant("knn_zero", double([1], [0]))],
      {},
      { outputs: ["knn_exact"] },
    );
    const exactW = cast(g, exact!, "double", "knn_exact_w");
    const [anyExact] = g.node(
      "ReduceMax",
      [exactW],
      { axes: attr.ints([1]), keepdims: attr.int(1) },
      { outputs: ["knn_any_exact"] },
    );
    const [hasExact] = g.node("Cast", [anyExact!], { to: attr.int(9) }, { outputs: ["knn_has_exact"] });
    const [inv] = g.node("Reciprocal", [dist!], {}, { outputs: ["knn_inv_dist"] });
    weights = g.node("Where", [hasExact!, exactW, inv!], {}, { outputs: ["knn_w"] })[0]!;
  }
  return { idx: idx!, weights };
}

registerConverter("KNeighborsClassifier", {
  kind: "predictor",
  convert(ctx, est, features): PredictorOutputs {
    const { g } = ctx;
    const s = est.assertFitted() as KNeighborsState;
    const { nNeighbors, weights: mode } = est.getParams() as { nNeighbors: number; weights: string };
    const k = Math.min(nNeighbors, s.nTrain);
    const { idx, weights } = neighbours(ctx, s, features, k, mode);
    const labels = g.constant("knn_labels", int64Tensor([s.nTrain], s.y));
    const [nearLabels] = g.node(
      "Gather",
      [labels, idx],
      { axis: attr.int(0) },
      { outputs: ["knn_near_labels"] },
    );
    // votes[n, j, c] = 1 where neighbour j of row n has class c (OneHot has no float64 kernel in ORT).
    const axisLast = g.constant("knn_axis_last", int64Tensor([1], [2]));
    const [labels3] = g.node("Unsqueeze", [nearLabels!, axisLast], {}, { outputs: ["knn_near_labels3"] });
    const classes = g.constant(
      "knn_classes",
      int64Tensor(
        [s.nClasses],
        Array.from({ length: s.nClasses }, (_, c) => c),
      ),
    );
    const [isClass] = g.node("Equal", [labels3!, classes], {}, { outputs: ["knn_is_class"] });
    const votes = cast(g, isClass!, "double", "knn_votes"); // [N, k, K]
    const [w3] = g.node(
      "Unsqueeze",
      [weights, g.constant("knn_axis_last", int64Tensor([1], [2]))],
      {},
      { outputs: ["knn_w3"] },
    );
    const [wv] = g.node("Mul", [votes, w3!], {}, { outputs: ["knn_weighted_votes"] });
    const axis1 = g.constant("knn_sum_axis", int64Tensor([1], [1]));
    const [tally] = g.node("ReduceSum", [wv!, axis1], { keepdims: attr.int(0) }, { outputs: ["knn_tally"] });
    const [total] = g.node(
      "ReduceSum",
      [weights, axis1],
      { keepdims: attr.int(1) },
      { outputs: ["knn_total"] },
    );
    const [proba] = g.node("Div", [tally!, total!], {}, { outputs: ["knn_proba64"] });
    // Labels come from the float32 probabilities (ArgMax in exportOnnx): vote shares that tie
    // exactly in TypeScript may differ by an ulp here, and rounding restores the tie, which both
    // sides then break towards the lowest class index.
    return { probabilities: cast(g, proba!, "float", "knn_proba") };
  },
});

registerConverter("KNeighborsRegressor", {
  kind: "predictor",
  convert(ctx, est, features): PredictorOutputs {
    const { g } = ctx;
    const s = est.assertFitted() as KNeighborsState;
    const { nNeighbors, weights: mode } = est.getParams() as { nNeighbors: number; weights: string };
    const k = Math.min(nNeighbors, s.nTrain);
    const { idx, weights } = neighbours(ctx, s, features, k, mode);
    const [nearY] = g.node(
      "Gather",
      [g.constant("knn_y", double([s.nTrain], s.y)), idx],
      { axis: attr.int(0) },
      { outputs: ["knn_near_y"] },
    );
    const [wy] = g.node("Mul", [nearY!, weights], {}, { outputs: ["knn_wy"] });
    const axis1 = g.constant("knn_sum_axis", int64Tensor([1], [1]));
    const [sum] = g.node("ReduceSum", [wy!, axis1], { keepdims: attr.int(1) }, { outputs: ["knn_sum"] });
    const [total] = g.node(
      "ReduceSum",
      [weights, axis1],
      { keepdims: attr.int(1) },
      { outputs: ["knn_total"] },
    );
    const [mean] = g.node("Div", [sum!, total!], {}, { outputs: ["knn_mean64"] });
    return { variable: cast(g, mean!, "float", "knn_value") };
  },
});
