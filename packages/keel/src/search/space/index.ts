/** Search spaces: types, validation, sampling, grids, default per-model spaces and YAML overrides. */
export * from "./active-params.js";
export * from "./apply-overrides.js";
export * from "./combined-space.js";
export * from "./config-key.js";
export * from "./default-spaces.js";
export * from "./distribution-scale.js";
export * from "./grid-values.js";
export * from "./model-param-names.js";
export * from "./sample-config.js";
export * from "./space-grid.js";
export * from "./space-overrides.js";
export * from "./types.js";
export * from "./validate-space.js";
