/** The prediction log: writer, feedback labels, and DuckDB readers for monitoring. */
export * from "./feedback-log.js";
export * from "./log-schema.js";
export * from "./prediction-logger.js";
export * from "./read-prediction-log.js";
