import type {
  NumericColumn,
  StringColumn,
  TypedColumn,
  TypedColumns,
} from "../../data/engine/column-reader.js";
import { invalidParam } from "../../errors.js";
import type { Matrix } from "./matrix.js";

/**
 * A table of typed columns: exactly what the DuckDB engine's `queryColumns` returns, so data goes
 * from Parquet/CSV into a pipeline without conversion. Numeric, boolean (0/1) and datetime
 * (epoch ms) columns are Float64Array with NaN for null; string columns are `(string | null)[]`.
 */
export type Table = TypedColumns;
export type { NumericColumn, StringColumn, TypedColumn };

/** Kind of a numeric-like column. */
export type NumericKind = NumericColumn["kind"];

/** A numeric column built in memory (DuckDB type DOUBLE, or BOOLEAN / TIMESTAMP by kind). */
export function numericColumn(
  name: string,
  values: ArrayLike<number>,
  kind: NumericKind = "numeric",
): NumericColumn {
  const type = kind === "boolean" ? "BOOLEAN" : kind === "datetime" ? "TIMESTAMP" : "DOUBLE";
  return { name, type, kind, values: values instanceof Float64Array ? values : Float64Array.from(values) };
}

/** A string column built in memory (DuckDB type VARCHAR). */
export function stringColumn(name: string, values: readonly (string | null)[]): StringColumn {
  return { name, type: "VARCHAR", kind: "string", values: [...values] };
}

/** Builds a {@link Table} from columns, checking lengths and unique names. */
export function tableOf(columns: readonly TypedColumn[]): Table {
  const rowCount = columns[0]?.values.length ?? 0;
  const seen = new Set<string>();
  for (const c of columns) {
    if (c.values.length !== rowCount) {
      throw invalidParam(
        `Column '${c.name}' has ${c.values.length} rows but '${columns[0]!.name}' has ${rowCount}`,
      );
    }
    if (seen.has(c.name)) throw invalidParam(`Column '${c.name}' appears twice: column names must be unique`);
    seen.add(c.name);
  }
  return { rowCount, columns };
}

/** Plain JS values accepted by {@link tableFromArrays}. */
export type PlainColumn =
  | ArrayLike<number>
  | readonly (string | null)[]
  | readonly (boolean | null)[]
  | readonly (Date | null)[];

/**
 * Builds a {@link Table} from plain arrays keyed by column name: numbers → numeric, booleans →
 * boolean (0/1), Dates → datetime (epoch ms), strings → string; null/undefined → missing.
 * @example
 * tableFromArrays({ x: [1, 2, NaN], color: ["red", null, "blue"] }); // x = [1, 2, NaN], color = ["red", null, "blue"]
 */
export function tableFromArrays(data: Readonly<Record<string, PlainColumn>>): Table {
  return tableOf(Object.entries(data).map(([name, values]) => plainColumn(name, values)));
}

function plainColumn(name: string, values: PlainColumn): TypedColumn {
  if (values instanceof Float64Array || ArrayBuffer.isView(values))
    return numericColumn(name, values as ArrayLike<number>);
  const arr = Array.from(values as ArrayLike<unknown>);
  const first = arr.find((v) => v !== null && v !== undefined);
  if (typeof first === "string") {
    return stringColumn(
      name,
      arr.map((v) => (v === null || v === undefined ? null : String(v))),
    );
  }
  const kind: NumericKind =
    typeof first === "boolean" ? "boolean" : first instanceof Date ? "datetime" : "numeric";
  const out = new Float64Array(arr.length);
  arr.forEach((v, i) => {
    if (v === null || v === undefined) out[i] = Number.NaN;
    else if (typeof v === "number") out[i] = v;
    else if (typeof v === "boolean") out[i] = v ? 1 : 0;
    else if (v instanceof Date) out[i] = v.getTime();
    else throw invalidParam(`Column '${name}' row ${i}: ${JSON.stringify(v)} is not a ${kind} value`);
  });
  return numericColumn(name, out, kind);
}

/** The column called `name`, or a KeelError listing the available columns. */
export function getColumn(table: Table, name: string): TypedColumn {
  const col = table.columns.find((c) => c.name === name);
  if (!col) {
    throw invalidParam(
      `No column named '${name}'; available columns: ${table.columns.map((c) => c.name).join(", ")}`,
    );
  }
  return col;
}

/** A table with only the named columns, in the given order. */
export function selectColumns(table: Table, names: readonly string[]): Table {
  return { rowCount: table.rowCount, columns: names.map((n) => getColumn(table, n)) };
}

/** A table without the named columns. */
export function dropColumns(table: Table, names: readonly string[]): Table {
  const drop = new Set(names);
  return { rowCount: table.rowCount, columns: table.columns.filter((c) => !drop.has(c.name)) };
}

/** A copy of the rows of `table` at `indices` (in that order). */
export function takeTableRows(table: Table, indices: ArrayLike<number>): Table {
  const n = indices.length;
  const columns = table.columns.map((c): TypedColumn => {
    if (c.kind === "string") {
      const out = new Array<string | null>(n);
      for (let i = 0; i < n; i++) out[i] = c.values[indices[i]!] ?? null;
      return { ...c, values: out };
    }
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = c.values[indices[i]!]!;
    return { ...c, values: out };
  });
  return { rowCount: n, columns };
}

/**
 * The table as a {@link Matrix} (no copy: the Float64Arrays are shared). Every column must be
 * numeric-like; a string column is an error that says to encode it first.
 */
export function tableToMatrix(table: Table): Matrix {
  const columns = table.columns.map((c) => {
    if (c.kind === "string") {
      throw invalidParam(
        `Column '${c.name}' holds strings but the estimator needs numbers: encode it (OneHotEncoder or OrdinalEncoder) or mark its role as categorical`,
      );
    }
    return c.values;
  });
  return { nRows: table.rowCount, nCols: columns.length, names: table.columns.map((c) => c.name), columns };
}

/** A {@link Matrix} as a table of numeric columns (no copy). */
export function matrixToTable(m: Matrix): Table {
  return { rowCount: m.nRows, columns: m.columns.map((values, j) => numericColumn(m.names[j]!, values)) };
}
