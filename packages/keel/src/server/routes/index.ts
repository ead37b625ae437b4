/**
 * The route tables: MLflow's REST API 2.0 (every row, one service group per file) and Keel's
 * native JSON API, each with the prefixes it is served under.
 */
import { KEEL_PREFIXES, MLFLOW_PREFIXES } from "../mount-routes.js";
import type { Route, RouteTable } from "../route.js";
import { ARTIFACT_ROUTES } from "./artifacts.js";
import { DATASET_INSIGHT_ROUTES } from "./dataset-insights.js";
import { DATASET_ROUTES } from "./datasets.js";
import { ENDPOINT_ROUTES } from "./endpoints.js";
import { EXPERIMENT_STATS_ROUTES } from "./experiment-stats.js";
import { EXPERIMENT_ROUTES } from "./experiments.js";
import { METRIC_ROUTES } from "./metrics.js";
import { MODEL_VERSION_ROUTES } from "./model-versions.js";
import { MONITORING_ROUTES } from "./monitoring.js";
import { PIPELINE_ROUTES } from "./pipelines.js";
import { REGISTERED_MODEL_ROUTES } from "./registered-models.js";
import { RUN_ROUTES } from "./runs.js";

/** All MLflow routes, mounted under `/api/2.0/mlflow` and `/ajax-api/2.0/mlflow`. */
export const MLFLOW_ROUTES: readonly Route[] = Object.freeze([
  ...EXPERIMENT_ROUTES,
  ...RUN_ROUTES,
  ...METRIC_ROUTES,
  ...ARTIFACT_ROUTES,
  ...REGISTERED_MODEL_ROUTES,
  ...MODEL_VERSION_ROUTES,
]);

/** Keel's native JSON routes, mounted under `/api/2.0/keel` and `/ajax-api/2.0/keel`. */
export const KEEL_ROUTES: readonly Route[] = Object.freeze([
  ...DATASET_ROUTES,
  ...DATASET_INSIGHT_ROUTES,
  ...EXPERIMENT_STATS_ROUTES,
  ...ENDPOINT_ROUTES,
  ...MONITORING_ROUTES,
  ...PIPELINE_ROUTES,
]);

/** Every JSON route table the server mounts and documents, MLflow's first. */
export const API_TABLES: readonly RouteTable[] = Object.freeze([
  { prefixes: MLFLOW_PREFIXES, routes: MLFLOW_ROUTES },
  { prefixes: KEEL_PREFIXES, routes: KEEL_ROUTES },
]);
