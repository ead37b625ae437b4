/**
 * Serving: hosted model versions with micro-batching (`ServedModel`), routing (`Router`), the
 * Open Inference Protocol + MLflow scoring server (`startModelServer`), the prediction log and
 * batch prediction (`batchPredict`).
 */
export * from "./columnar-input.js";
export * from "./endpoints/index.js";
export * from "./http/access-log.js";
export * from "./http/build-serve-app.js";
export * from "./http/serve-metrics.js";
export * from "./inference-service.js";
export * from "./input-problems.js";
export * from "./micro-batcher.js";
export * from "./prediction-log/index.js";
export * from "./resolve-served-package.js";
export * from "./router.js";
export * from "./serve-config.js";
export * from "./served-model.js";
export * from "./start-model-server.js";
