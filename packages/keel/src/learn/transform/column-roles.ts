import { invalidParam } from "../../errors.js";
import { getColumn, type Table, type TypedColumn } from "../core/table.js";

/** How a column enters the model. */
export type ColumnRole = "numeric" | "categorical" | "boolean" | "datetime" | "ignore";

/** The role of one column and the facts it was inferred from. */
export interface ColumnRoleInfo {
  /** Column name. */
  readonly name: string;
  /** Role used by the preprocessor. */
  readonly role: ColumnRole;
  /** Storage kind of the column. */
  readonly kind: TypedColumn["kind"];
  /** Number of distinct non-missing values. */
  readonly distinct: number;
  /** Number of missing values. */
  readonly missing: number;
  /** True for a categorical column with more than `maxCategories` levels (encoded ordinally, not one-hot). */
  readonly highCardinality: boolean;
  /** True when the role came from an override. */
  readonly overridden: boolean;
}

/** Result of {@link inferColumnRoles}. */
export interface ColumnRoles {
  /** Feature columns in table order (the target and "ignore" columns included, with their roles). */
  readonly columns: ColumnRoleInfo[];
  /** Human-readable notes (high cardinality, numbers stored as text). */
  readonly warnings: string[];
}

/** Options of {@link inferColumnRoles}. */
export interface InferRolesOptions {
  /** Target column: must exist; excluded from the features. */
  target?: string;
  /** Roles forced by the user, by column name. */
  overrides?: Readonly<Record<string, ColumnRole>>;
  /** Above this many distinct levels a categorical column is flagged high-cardinality (default 30). */
  maxCategories?: number;
}

/**
 * Infers each column's role from its kind: numbers → numeric (integer codes with few distinct
 * values stay numeric; override them to "categorical" if they are codes), booleans → boolean,
 * datetimes → datetime, strings → categorical (flagged when high-cardinality). Overrides win;
 * forcing "numeric" on a string column is an error that names a row holding a non-number, and so
 * is a column with no values at all (nothing can be learned from it) unless it is "ignore"d.
 */
export function inferColumnRoles(table: Table, options: InferRolesOptions = {}): ColumnRoles {
  const { target, overrides = {}, maxCategories = 30 } = options;
  if (table.rowCount === 0) throw invalidParam("The data has no rows: check the file and any row filter");
  if (target !== undefined) getColumn(table, target);
  for (const name of Object.keys(overrides)) getColumn(table, name);
  const warnings: string[] = [];
  const columns: ColumnRoleInfo[] = [];
  for (const col of table.columns) {
    if (col.name === target) continue;
    const { distinct, missing } = countValues(col);
    const forced = overrides[col.name];
    const role = forced ?? defaultRole(col);
    if (role === "numeric" && col.kind === "string") throw stringInNumeric(col);
    const highCardinality = role === "categorical" && distinct > maxCategories;
    if (highCardinality) {
      warnings.push(
        `Column '${col.name}' has ${distinct} categories (> ${maxCategories}): it is encoded ordinally`,
      );
    }
    if (missing === table.rowCount && role !== "ignore") {
      throw invalidParam(
        `Column '${col.name}' has no values (all ${missing} rows missing): drop it or override its role to "ignore"`,
      );
    }
    if (!forced && col.kind === "string" && looksNumeric(col)) {
      warnings.push(
        `Column '${col.name}' holds numbers stored as text (some values are not numbers): treated as categorical`,
      );
    }
    columns.push({
      name: col.name,
      role,
      kind: col.kind,
      distinct,
      missing,
      highCardinality,
      overridden: forced !== undefined,
    });
  }
  return { columns, warnings };
}

function defaultRole(col: TypedColumn): ColumnRole {
  if (col.kind === "string") return "categorical";
  if (col.kind === "boolean") return "boolean";
  if (col.kind === "datetime") return "datetime";
  return "numeric";
}

function countValues(col: TypedColumn): { distinct: number; missing: number } {
  const seen = new Set<string | number>();
  let missing = 0;
  for (const v of col.values) {
    if (v === null || (typeof v === "number" && Number.isNaN(v))) missing++;
    else seen.add(v);
  }
  return { distinct: seen.size, missing };
}

function looksNumeric(col: TypedColumn): boolean {
  let numbers = 0;
  let present = 0;
  for (const v of col.values) {
    if (v === null) continue;
    present++;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) numbers++;
  }
  return present > 0 && numbers / present >= 0.5;
}

function stringInNumeric(col: TypedColumn): Error {
  const row = col.values.findIndex(
    (v) => typeof v === "string" && (v.trim() === "" || !Number.isFinite(Number(v))),
  );
  const example = row >= 0 ? ` (row ${row} is '${col.values[row]}')` : "";
  return invalidParam(
    `Column '${col.name}' is marked numeric but holds strings${example}: fix those values, or CAST the column to DOUBLE in the query`,
  );
}
