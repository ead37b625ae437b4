/** Pipelines: transformers then an estimator, plus the default preprocessing for inferred roles. */
export * from "./default-preprocessor.js";
export * from "./flat-params.js";
export * from "./pipeline.js";
export * from "./training-set.js";
