/** Metrics: classification, probabilistic, regression, and bootstrap confidence intervals. */
export * from "./bootstrap.js";
export * from "./classification.js";
export * from "./probabilistic.js";
export * from "./regression.js";
