/**
 * The learning task of a target column: binary or multiclass classification, or regression,
 * inferred from the column's values unless the user says otherwise.
 */
import { invalidParam } from "../../errors.js";
import type { TypedColumn } from "../core/table.js";

/** What a model predicts. */
export type Task = "binary" | "multiclass" | "regression";

/** Every {@link Task}, for option validation. */
export const TASKS: readonly Task[] = ["binary", "multiclass", "regression"];

/** Integer-valued numeric targets with at most this many distinct values are treated as classes. */
export const MAX_INTEGER_CLASSES = 20;

/** True for the classification tasks. */
export function isClassification(task: Task): task is "binary" | "multiclass" {
  return task !== "regression";
}

/**
 * The task for `target`: text and boolean targets are classification; numbers are classes when
 * every value is an integer and there are at most {@link MAX_INTEGER_CLASSES} distinct values
 * (codes such as 0/1), otherwise regression. Two classes make it binary. `override` wins, but a
 * binary override on a target with more than two classes (or strings for regression) is an error.
 */
export function inferTask(target: TypedColumn, override?: string): Task {
  if (override !== undefined && !(TASKS as readonly string[]).includes(override)) {
    throw invalidParam(`--task '${override}' is not a task; use one of ${TASKS.join(", ")}`);
  }
  if (target.kind === "datetime") {
    throw invalidParam(`Target '${target.name}' holds dates: pick a label or a numeric column as the target`);
  }
  const distinct = distinctLabels(target);
  const wanted = override as Task | undefined;
  if (wanted === "regression") {
    if (target.kind === "string") {
      throw invalidParam(
        `Target '${target.name}' holds text, so it cannot be a regression target: use --task binary or multiclass`,
      );
    }
    return "regression";
  }
  if (wanted === "binary" && distinct.size > 2) {
    throw invalidParam(
      `--task binary, but target '${target.name}' has ${distinct.size} classes: use --task multiclass`,
    );
  }
  if (wanted !== undefined) return wanted;
  if (target.kind === "numeric" && !looksLikeClasses(target.values, distinct.size)) return "regression";
  return distinct.size <= 2 ? "binary" : "multiclass";
}

function distinctLabels(col: TypedColumn): Set<string | number> {
  const seen = new Set<string | number>();
  for (const v of col.values) {
    if (v === null || (typeof v === "number" && Number.isNaN(v))) continue;
    seen.add(v);
    // Enough to decide; a regression target may have millions of distinct values.
    if (seen.size > MAX_INTEGER_CLASSES + 1 && col.kind === "numeric") break;
  }
  return seen;
}

function looksLikeClasses(values: Float64Array, distinct: number): boolean {
  if (distinct > MAX_INTEGER_CLASSES) return false;
  for (const v of values) if (!Number.isNaN(v) && !Number.isInteger(v)) return false;
  return true;
}
