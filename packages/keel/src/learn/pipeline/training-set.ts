import { invalidParam } from "../../errors.js";
import { dropColumns, getColumn, type Table } from "../core/table.js";
import { columnLabels, encodeLabels, encodeWithClasses, regressionTarget } from "../core/targets.js";

/** Features and encoded target split out of one table. */
export interface TrainingSet {
  /** Every column but the target. */
  readonly X: Table;
  /** Class indices (classification) or values (regression). */
  readonly y: Int32Array | Float64Array;
  /** Class labels (classification), index = class index; null for regression. */
  readonly classes: string[] | null;
}

/**
 * Splits `table` into features and target. Errors name the problem and the fix: a target column
 * that does not exist (listing the columns), an empty table, a missing label, a single class,
 * strings in a regression target. Pass `classes` to encode test data with the training classes.
 */
export function trainingSet(
  table: Table,
  target: string,
  task: "classification" | "regression",
  classes?: readonly string[],
): TrainingSet {
  const col = getColumn(table, target);
  if (table.rowCount === 0) throw invalidParam("The data has no rows: check the file and any row filter");
  if (table.columns.length < 2)
    throw invalidParam(`The data has no feature columns besides the target '${target}'`);
  const X = dropColumns(table, [target]);
  if (task === "regression") return { X, y: regressionTarget(col), classes: null };
  if (classes) return { X, y: encodeWithClasses(columnLabels(col), classes, target), classes: [...classes] };
  const enc = encodeLabels(columnLabels(col), { name: target });
  return { X, y: enc.y, classes: enc.classes };
}
