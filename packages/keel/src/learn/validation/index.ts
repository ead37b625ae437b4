/** Validation: holdout, k-fold, stratified, group and time-series splits, and cross-validation. */
export * from "./cross-validate.js";
export * from "./group-k-fold.js";
export * from "./holdout.js";
export * from "./k-fold.js";
export * from "./splitter.js";
export * from "./time-series-split.js";
