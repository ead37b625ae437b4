/**
 * From file paths and a target name to a ready problem: load the files, infer the task, encode
 * the target (test labels with the training classes), infer column roles and check the features.
 * Everything that can be wrong with the input fails here, before a run is started.
 */
import { invalidParam } from "../../errors.js";
import { getColumn, type Table } from "../core/table.js";
import { trainingSet } from "../pipeline/index.js";
import { type ColumnRole, type ColumnRoles, inferColumnRoles } from "../transform/column-roles.js";
import { checkFeatureColumns } from "./check-features.js";
import type { LabelledData, Problem } from "./fit-evaluate.js";
import { loadTable } from "./load-table.js";
import { inferTask, isClassification } from "./task.js";

/** What to load. */
export interface DataOptions {
  /** Training data file. */
  readonly data: string;
  /** Target column. */
  readonly target: string;
  /** Optional test file, scored with the model fitted on all of `data`. */
  readonly test?: string | undefined;
  /** Task override (binary | multiclass | regression). */
  readonly task?: string | undefined;
  /** Column role overrides, e.g. `{ zip: "categorical", id: "ignore" }`. */
  readonly roles?: Readonly<Record<string, ColumnRole>> | undefined;
}

/** A loaded, checked problem. */
export interface PreparedData {
  /** Task, target, classes. */
  readonly problem: Problem;
  /** Training features and target. */
  readonly train: LabelledData;
  /** Test features and target, when a test file was given. */
  readonly test?: LabelledData;
  /** Inferred column roles of the features. */
  readonly roles: ColumnRoles;
}

/** Loads and checks `options.data` (and `options.test`). */
export async function prepareData(options: DataOptions): Promise<PreparedData> {
  const table = await loadTable(options.data, "--data");
  const targetColumn = targetOf(table, options.target, options.data);
  const task = inferTask(targetColumn, options.task);
  const kind = isClassification(task) ? "classification" : "regression";
  const set = trainingSet(table, options.target, kind);
  if (task === "binary" && set.classes && set.classes.length !== 2) {
    throw invalidParam(`--task binary, but target '${options.target}' has ${set.classes.length} classes`);
  }
  const roles = inferColumnRoles(set.X, { overrides: options.roles ?? {} });
  // Only a user override vouches that a text column of numbers really holds categories.
  const categorical = new Set(roles.columns.filter((c) => c.overridden).map((c) => c.name));
  const ignored = new Set(roles.columns.filter((c) => c.role === "ignore").map((c) => c.name));
  checkFeatureColumns(
    { rowCount: set.X.rowCount, columns: set.X.columns.filter((c) => !ignored.has(c.name)) },
    options.data,
    categorical,
  );
  const problem: Problem = { task, target: options.target, classes: set.classes };
  const prepared: PreparedData = { problem, train: { X: set.X, y: set.y }, roles };
  if (options.test === undefined) return prepared;
  const testTable = await loadTable(options.test, "--test");
  targetOf(testTable, options.target, options.test);
  const testSet = trainingSet(testTable, options.target, kind, set.classes ?? undefined);
  for (const col of set.X.columns) {
    if (!ignored.has(col.name)) getColumnIn(testTable, col.name, options.test);
  }
  return { ...prepared, test: { X: testSet.X, y: testSet.y } };
}

function targetOf(table: Table, target: string, file: string) {
  try {
    return getColumn(table, target);
  } catch {
    throw invalidParam(
      `--target '${target}' is not a column of ${file}; its columns: ${table.columns.map((c) => c.name).join(", ")}`,
    );
  }
}

function getColumnIn(table: Table, name: string, file: string): void {
  if (!table.columns.some((c) => c.name === name)) {
    throw invalidParam(
      `${file} has no column '${name}', which the training data has: the test file needs every feature column`,
    );
  }
}
