/** Ensembles of trees: random forests (parallel worker threads) and histogram gradient boosting. */
export * from "./boost.js";
export * from "./hist-gradient-boosting-classifier.js";
export * from "./hist-gradient-boosting-regressor.js";
export * from "./random-forest-classifier.js";
export * from "./random-forest-regressor.js";
