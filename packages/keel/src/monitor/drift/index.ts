/** Data and prediction drift: statistical tests, `computeDrift`, prediction-log sources, HTML. */
export * from "./column-values.js";
export * from "./compute-drift.js";
export * from "./dataset-source.js";
export * from "./drift-html.js";
export * from "./drift-report.js";
export * from "./endpoint-source.js";
export * from "./stat-tests.js";
export { type KsResult, ks2Samp } from "./stats/ks-2samp.js";
export { wasserstein } from "./stats/wasserstein.js";
