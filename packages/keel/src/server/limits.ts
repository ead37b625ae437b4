/**
 * MLflow's request-level limits, checked at the edge. Per-entity limits (key and value lengths,
 * batch sizes, duplicate params, alias names) are the store's job (`store/validation.ts`), so
 * embedded and remote use reject the same inputs with the same MLflow messages.
 */
import { invalidParam } from "../errors.js";

/** The limits, in MLflow's numbers (mlflow/server/handlers.py, mlflow/utils/validation.py). */
export const LIMITS = Object.freeze({
  /** Bytes in one log-batch request body. */
  batchRequestBytes: 1_000_000,
  /** `max_results` of runs/search. */
  runsPerPage: 50_000,
  /** `max_results` of experiments/search. */
  experimentsPerPage: 50_000,
  /** `max_results` of registered-models/search. */
  modelsPerPage: 1000,
  /** `max_results` of model-versions/search. */
  modelVersionsPerPage: 200_000,
});

/** The message MLflow gives for an oversized log-batch body. */
export function batchTooLargeMessage(size: number): string {
  return (
    `Batched logging API requests must be at most ${LIMITS.batchRequestBytes} bytes, got a request of size ` +
    `${size}. Split the batch into several requests.`
  );
}

/**
 * MLflow's model-version source check: no `..` segment or NUL byte, even percent-encoded, so a
 * source can never point the server at files outside an artifact root.
 */
export function checkModelSource(source: string): void {
  let decoded = source;
  for (let i = 0; i < 5; i++) {
    let next: string;
    try {
      next = decodeURIComponent(decoded.replaceAll("+", " "));
    } catch {
      break;
    }
    if (next === decoded) break;
    decoded = next;
  }
  if (decoded.includes("\0") || decoded.replaceAll("\\", "/").split("/").includes("..")) {
    throw invalidParam(
      `Invalid model version source: '${source}'. Give an absolute location without '..' segments, ` +
        "e.g. 'runs:/<run_id>/model' or 'mlflow-artifacts:/1/<run_id>/artifacts/model'.",
    );
  }
}
