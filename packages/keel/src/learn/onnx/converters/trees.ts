/**
 * Decision trees and random forests: one TreeEnsembleRegressor summing leaf values (class
 * distributions for classifiers, weighted 1/nTrees for forests — the mean TypeScript computes).
 */
import type { RandomForestClassifierState } from "../../ensemble/random-forest-classifier.js";
import type { RandomForestRegressorState } from "../../ensemble/random-forest-regressor.js";
import type { DecisionTreeClassifierState } from "../../tree/decision-tree-classifier.js";
import type { DecisionTreeRegressorState } from "../../tree/decision-tree-regressor.js";
import { registerConverter } from "../converter-registry.js";
import { treeEnsemble } from "./tree-ensemble.js";

registerConverter("DecisionTreeClassifier", {
  kind: "predictor",
  convert({ g }, est, features) {
    const s = est.assertFitted() as DecisionTreeClassifierState;
    const scores = treeEnsemble(g, features, [s.tree], {
      nTargets: s.nClasses,
      treeWeight: () => 1,
      name: "tree_proba",
    });
    return { probabilities: scores };
  },
});

registerConverter("DecisionTreeRegressor", {
  kind: "predictor",
  convert({ g }, est, features) {
    const s = est.assertFitted() as DecisionTreeRegressorState;
    return {
      variable: treeEnsemble(g, features, [s.tree], { nTargets: 1, treeWeight: () => 1, name: "tree_value" }),
    };
  },
});

registerConverter("RandomForestClassifier", {
  kind: "predictor",
  convert({ g }, est, features) {
    const s = est.assertFitted() as RandomForestClassifierState;
    const w = 1 / s.trees.length;
    return {
      probabilities: treeEnsemble(g, features, s.trees, {
        nTargets: s.nClasses,
        treeWeight: () => w,
        name: "forest_proba",
      }),
    };
  },
});

registerConverter("RandomForestRegressor", {
  kind: "predictor",
  convert({ g }, est, features) {
    const s = est.assertFitted() as RandomForestRegressorState;
    const w = 1 / s.trees.length;
    return {
      variable: treeEnsemble(g, features, s.trees, {
        nTargets: 1,
        treeWeight: () => w,
        name: "forest_value",
      }),
    };
  },
});
