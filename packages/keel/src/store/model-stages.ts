/** Legacy model stages: canonical spelling and the internal marker of deleted versions. */
import { invalidParam } from "../errors.js";
import { MODEL_STAGES, type ModelStage } from "./entities.js";

/** Stage of a deleted version: the row stays so version numbers are never reused (MLflow). */
export const DELETED_STAGE = "Deleted_Internal";

/** Stages whose current versions may be archived on transition (MLflow's "active" stages). */
export const ACTIVE_STAGES: readonly ModelStage[] = ["Staging", "Production"];

/** The canonical spelling of a stage, matched case-insensitively; INVALID_PARAMETER_VALUE otherwise. */
export function canonicalStage(stage: string): ModelStage {
  const found = MODEL_STAGES.find((s) => s.toLowerCase() === String(stage).toLowerCase());
  if (!found) {
    throw invalidParam(
      `Invalid Model Version stage: ${stage}. Value must be one of ${MODEL_STAGES.join(", ")}.`,
    );
  }
  return found;
}
