/** Baselines that ignore the features: every real model is reported beside them. */
export * from "./dummy-classifier.js";
export * from "./dummy-regressor.js";
