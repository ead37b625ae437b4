/** Training commands as library calls: train, baseline, evaluate, and ONNX export/import. */
export * from "./baseline.js";
export * from "./evaluate-model.js";
export * from "./fetch-model-package.js";
export * from "./imported-onnx-model.js";
export * from "./model-catalog.js";
export * from "./model-exchange.js";
export * from "./report-tables.js";
export * from "./score-model.js";
export * from "./scores.js";
export * from "./task.js";
export * from "./train-model.js";
