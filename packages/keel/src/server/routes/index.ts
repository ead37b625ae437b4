/** The MLflow REST API 2.0 route table: every row, one service group per file. */
import type { Route } from "../route.js";
import { ARTIFACT_ROUTES } from "./artifacts.js";
import { EXPERIMENT_ROUTES } from "./experiments.js";
import { METRIC_ROUTES } from "./metrics.js";
import { MODEL_VERSION_ROUTES } from "./model-versions.js";
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
