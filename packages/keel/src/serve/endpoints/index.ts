/**
 * Endpoints: several model versions behind one name with blue-green, canary, shadow and A/B
 * rollouts, configuration in the store applied live by `startEndpointServer`.
 */
export * from "./canary-controller.js";
export * from "./canary-decision.js";
export * from "./endpoint-admin.js";
export * from "./endpoint-compare.js";
export * from "./endpoint-router.js";
export * from "./endpoint-server.js";
export * from "./endpoint-stats-file.js";
export * from "./endpoint-versions.js";
export * from "./feedback-accuracy.js";
export * from "./sticky-hash.js";
export * from "./traffic-policy.js";
export * from "./two-proportion-test.js";
export * from "./version-stats.js";
export * from "./warmup-input.js";
