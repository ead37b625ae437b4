/** Reserved run tags that mirror run columns (MLflow's `mlflow.*` system tags). */

/** Tag mirroring the run name. */
export const RUN_NAME_TAG = "mlflow.runName";
/** Tag mirroring the parent run of a nested run. */
export const PARENT_RUN_ID_TAG = "mlflow.parentRunId";
/** Input tag naming a dataset's role in a run (train, test, ...). */
export const DATASET_CONTEXT_TAG = "mlflow.data.context";
