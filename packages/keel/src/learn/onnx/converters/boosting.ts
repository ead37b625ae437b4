/**
 * Histogram gradient boosting: one TreeEnsembleRegressor with one target per output (tree t adds
 * to output t % treesPerIteration; leaf values already carry the learning rate) and the baseline
 * as base_values, giving the raw scores; then Sigmoid ([1 - p, p]) or Softmax as predictProba does.
 */
import type { HistGradientBoostingClassifierState } from "../../ensemble/hist-gradient-boosting-classifier.js";
import type { HistGradientBoostingRegressorState } from "../../ensemble/hist-gradient-boosting-regressor.js";
import { attr } from "../attribute.js";
import { registerConverter } from "../converter-registry.js";
import type { GraphBuilder } from "../graph-builder.js";
import { floatTensor } from "../tensor.js";
import { treeEnsemble } from "./tree-ensemble.js";

function rawScores(
  g: GraphBuilder,
  features: string,
  s: HistGradientBoostingRegressorState | HistGradientBoostingClassifierState,
): string {
  const K = s.treesPerIteration;
  return treeEnsemble(g, features, s.trees, {
    nTargets: K,
    treeWeight: () => 1,
    targetOf: (t) => t % K,
    baseValues: s.baseline,
    name: "boosting_raw",
  });
}

registerConverter("HistGradientBoostingRegressor", {
  kind: "predictor",
  convert({ g }, est, features) {
    return { variable: rawScores(g, features, est.assertFitted() as HistGradientBoostingRegressorState) };
  },
});

registerConverter("HistGradientBoostingClassifier", {
  kind: "predictor",
  convert({ g }, est, features) {
    const s = est.assertFitted() as HistGradientBoostingClassifierState;
    const raw = rawScores(g, features, s);
    if (s.link === "softmax") {
      return {
        probabilities: g.node("Softmax", [raw], { axis: attr.int(1) }, { outputs: ["boosting_proba"] })[0]!,
      };
    }
    const [p1] = g.node("Sigmoid", [raw], {}, { outputs: ["boosting_p1"] });
    const [p0] = g.node(
      "Sub",
      [g.constant("boosting_one", floatTensor([1, 1], [1])), p1!],
      {},
      { outputs: ["boosting_p0"] },
    );
    const [proba] = g.node("Concat", [p0!, p1!], { axis: attr.int(1) }, { outputs: ["boosting_proba"] });
    return { probabilities: proba! };
  },
});
