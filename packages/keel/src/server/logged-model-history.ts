/**
 * MLflow 2.x's `runs/log-model`: the logged model's summary is appended to the JSON list in the
 * run tag `mlflow.log-model.history` (what the MLflow UI reads to show "Logged models").
 */
import { invalidParam } from "../errors.js";

/** The run tag MLflow keeps the list in. */
export const LOGGED_MODELS_TAG = "mlflow.log-model.history";

const REQUIRED = ["artifact_path", "flavors", "utc_time_created", "run_id"] as const;

/** MLflow's `Model.get_tags_dict()`: identity fields plus flavors without their bulky `config`. */
function summary(model: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ["run_id", "utc_time_created", "artifact_path", "model_uuid"]) {
    if (key in model) out[key] = model[key];
  }
  const flavors = (model.flavors ?? {}) as Record<string, unknown>;
  out.flavors = Object.fromEntries(
    Object.entries(flavors).map(([name, config]) => {
      if (typeof config !== "object" || config === null || Array.isArray(config)) return [name, config];
      const { config: _dropped, ...rest } = config as Record<string, unknown>;
      return [name, rest];
    }),
  );
  return out;
}

/**
 * The new tag value: `previous` (a JSON list, or undefined) with the model of `modelJson` appended.
 * @throws KeelError INVALID_PARAMETER_VALUE when `modelJson` is not a JSON object with MLflow's
 *   mandatory fields.
 */
export function appendLoggedModel(previous: string | undefined, modelJson: string): string {
  let model: unknown;
  try {
    model = JSON.parse(modelJson);
  } catch {
    throw invalidParam(`Malformed model info. model_json is not valid JSON: ${modelJson.slice(0, 200)}`);
  }
  if (typeof model !== "object" || model === null || Array.isArray(model)) {
    throw invalidParam("Malformed model info. model_json must be a JSON object (an MLmodel as JSON).");
  }
  const missing = REQUIRED.filter((k) => !(k in model));
  if (missing.length > 0) throw invalidParam(`Model json is missing mandatory fields: ${missing.join(", ")}`);
  let history: unknown[] = [];
  if (previous) {
    try {
      const parsed: unknown = JSON.parse(previous);
      if (Array.isArray(parsed)) history = parsed;
    } catch {
      // A hand-edited, unreadable tag is replaced rather than blocking model logging.
    }
  }
  return JSON.stringify([...history, summary(model as Record<string, unknown>)]);
}
