/** ONNX converters for the dummy baselines: constant rows broadcast to the batch. */
import type { DummyClassifierState } from "../../dummy/dummy-classifier.js";
import type { DummyRegressorState } from "../../dummy/dummy-regressor.js";
import { registerConverter } from "../converter-registry.js";
import { repeatRow } from "../graph-ops.js";

registerConverter("DummyClassifier", {
  kind: "predictor",
  unsupported(est) {
    const { strategy } = est.getParams() as { strategy: string };
    return strategy === "prior" || strategy === "most_frequent"
      ? undefined
      : `strategy '${strategy}' draws random labels per call; export strategy 'prior' or 'most_frequent'`;
  },
  convert({ g }, est, features) {
    const { priors } = est.assertFitted() as DummyClassifierState;
    const { strategy } = est.getParams() as { strategy: string };
    let row: ArrayLike<number> = priors;
    if (strategy === "most_frequent") {
      // predictProba is one-hot at the majority class (first on ties, as argmax).
      let best = 0;
      for (let c = 1; c < priors.length; c++) if (priors[c]! > priors[best]!) best = c;
      row = Float64Array.from(priors, (_, c) => (c === best ? 1 : 0));
    }
    return { probabilities: repeatRow(g, features, row, "dummy_proba") };
  },
});

registerConverter("DummyRegressor", {
  kind: "predictor",
  convert({ g }, est, features) {
    const { value } = est.assertFitted() as DummyRegressorState;
    return { variable: repeatRow(g, features, [value], "dummy_value") };
  },
});
