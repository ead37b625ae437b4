/** Table → table transformers: imputation, scaling, encoding, datetime parts, column roles. */
export * from "./column-roles.js";
export * from "./column-transformer.js";
export * from "./datetime-parts.js";
export * from "./min-max-scaler.js";
export * from "./nested-params.js";
export * from "./one-hot-encoder.js";
export * from "./ordinal-encoder.js";
export * from "./simple-imputer.js";
export * from "./standard-scaler.js";
