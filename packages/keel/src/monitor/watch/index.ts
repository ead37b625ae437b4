/** Scheduled drift checks of an endpoint: tracked check runs, episodes, alerts, retraining. */
export * from "./check-history.js";
export * from "./check-result.js";
export * from "./concept-monitor.js";
export * from "./drift-episode.js";
export * from "./labelled-stream.js";
export * from "./monitor-report-html.js";
export * from "./on-drift-command.js";
export * from "./reference-predictions.js";
export * from "./run-check.js";
export * from "./watch-config.js";
export * from "./watch-lock.js";
export * from "./watch-loop.js";
export * from "./watch-state.js";
export * from "./webhook-alert.js";
export * from "./window-performance.js";
