/**
 * Linear models: LinearRegression and Ridge as ai.onnx.ml LinearRegressor; LogisticRegression as
 * ai.onnx.ml LinearClassifier raw scores followed by Softmax, exactly predictProba's formula (the
 * binary model gets a zero row for class 0, so Softmax([0, s]) = [1 - σ(s), σ(s)]).
 */
import type { LinearModelState } from "../../linear/linear-regression.js";
import type { LogisticRegressionState } from "../../linear/logistic-regression.js";
import { attr } from "../attribute.js";
import { type Converter, registerConverter } from "../converter-registry.js";

const linearRegressor: Converter = {
  kind: "predictor",
  convert({ g }, est, features) {
    const s = est.assertFitted() as LinearModelState;
    const [variable] = g.node(
      "LinearRegressor",
      [features],
      { coefficients: attr.floats(s.coef), intercepts: attr.floats([s.intercept]), targets: attr.int(1) },
      { domain: "ai.onnx.ml", outputs: ["linear_value"], types: [{ type: "float", shape: ["N", 1] }] },
    );
    return { variable: variable! };
  },
};
registerConverter("LinearRegression", linearRegressor);
registerConverter("Ridge", linearRegressor);

registerConverter("LogisticRegression", {
  kind: "predictor",
  convert({ g }, est, features, nFeatures) {
    const s = est.assertFitted() as LogisticRegressionState;
    const K = s.nClasses;
    const binary = s.intercept.length === 1;
    const coef = binary ? [...new Float64Array(nFeatures), ...s.coef] : s.coef;
    const intercepts = binary ? [0, s.intercept[0]!] : s.intercept;
    const [, scores] = g.node(
      "LinearClassifier",
      [features],
      {
        classlabels_ints: attr.ints(Array.from({ length: K }, (_, k) => k)),
        coefficients: attr.floats(coef),
        intercepts: attr.floats(intercepts),
        multi_class: attr.int(0),
        post_transform: attr.string("NONE"),
      },
      {
        domain: "ai.onnx.ml",
        outputs: ["linear_label", "linear_scores"],
        types: [
          { type: "int64", shape: ["N"] },
          { type: "float", shape: ["N", K] },
        ],
      },
    );
    const [proba] = g.node("Softmax", [scores!], { axis: attr.int(1) }, { outputs: ["linear_proba"] });
    return { probabilities: proba! };
  },
});
