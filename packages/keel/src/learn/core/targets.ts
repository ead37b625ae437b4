import type { TypedColumn } from "../../data/engine/column-reader.js";
import { invalidParam } from "../../errors.js";

/** Classification target: class indices into `classes` (the sorted distinct labels, as strings). */
export interface EncodedLabels {
  /** Class index per row. */
  readonly y: Int32Array;
  /** Label of each class index, sorted like numpy.unique (numerically if every label is a number). */
  readonly classes: string[];
}

/**
 * Encodes raw labels (a string column or numbers) as class indices. Missing labels are an error
 * naming the first row; so is a target with fewer than two classes unless `allowSingleClass`.
 */
export function encodeLabels(
  values: ArrayLike<string | number | null>,
  options: { name?: string; allowSingleClass?: boolean } = {},
): EncodedLabels {
  const name = options.name ?? "target";
  const labels = labelStrings(values, name);
  if (labels.length === 0) throw invalidParam(`Target '${name}' is empty: the training data has no rows`);
  const distinct = [...new Set(labels)];
  const numeric =
    typeof values[0] === "number" || distinct.every((s) => s.trim() !== "" && Number.isFinite(Number(s)));
  distinct.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (distinct.length < 2 && !options.allowSingleClass) {
    throw invalidParam(
      `Target '${name}' has a single class ('${distinct[0]}'): a classifier needs at least two classes; check the target column or the row filter`,
    );
  }
  return { y: indexLabels(labels, distinct, name), classes: distinct };
}

/** Encodes labels against a known class list (e.g. test data); an unknown label is an error. */
export function encodeWithClasses(
  values: ArrayLike<string | number | null>,
  classes: readonly string[],
  name = "target",
): Int32Array {
  return indexLabels(labelStrings(values, name), classes, name);
}

/** The target column's values as labels (numbers formatted like JSON, booleans as 0/1). */
export function columnLabels(col: TypedColumn): (string | number | null)[] {
  if (col.kind === "string") return col.values;
  return Array.from(col.values, (v) => (Number.isNaN(v) ? null : v));
}

/** A regression target from a column; strings and missing values are errors naming the row. */
export function regressionTarget(col: TypedColumn): Float64Array {
  if (col.kind === "string") {
    throw invalidParam(
      `Target '${col.name}' holds strings: regression needs a numeric target (did you mean a classifier?)`,
    );
  }
  if (col.values.length === 0)
    throw invalidParam(`Target '${col.name}' is empty: the training data has no rows`);
  const bad = col.values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw invalidParam(
      `Target '${col.name}' is missing or not finite at row ${bad}: drop or fill those rows first`,
    );
  }
  return col.values;
}

function labelStrings(values: ArrayLike<string | number | null>, name: string): string[] {
  const out = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) {
      throw invalidParam(`Target '${name}' is missing at row ${i}: drop rows without a label first`);
    }
    out[i] = String(v);
  }
  return out;
}

function indexLabels(labels: readonly string[], classes: readonly string[], name: string): Int32Array {
  const index = new Map(classes.map((c, i) => [c, i]));
  const y = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const k = index.get(labels[i]!);
    if (k === undefined) {
      throw invalidParam(
        `Target '${name}' row ${i} has label '${labels[i]}', not one of the classes ${classes.join(", ")}`,
      );
    }
    y[i] = k;
  }
  return y;
}

/** Number of classes implied by `y` (max index + 1), at least `min`. */
export function countClasses(y: Int32Array, min = 0): number {
  let max = -1;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (v < 0) throw invalidParam(`Class index ${v} at row ${i} is negative: class indices start at 0`);
    if (v > max) max = v;
  }
  return Math.max(max + 1, min);
}
