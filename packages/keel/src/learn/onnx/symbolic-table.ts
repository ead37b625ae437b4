/**
 * The export-time mirror of a {@link Table}: for each column, the ONNX tensor that will hold it at
 * inference time. Converters of transformers map one symbolic table to the next exactly as
 * `transform()` maps tables, so the graph follows the TypeScript pipeline step by step.
 */
import type { NumericKind } from "../core/table.js";

/** Column kinds, as in a Table. */
export type ColumnKind = NumericKind | "string";

/**
 * One column during export. Tensor conventions (shape [N, 1] for all): numeric and boolean
 * columns are float32, datetime columns are float64 epoch milliseconds (float32 would round
 * them to minutes), string columns are strings with "" for missing.
 */
export interface SymbolicColumn {
  /** Column name, as in the TypeScript table. */
  readonly name: string;
  /** Column kind. */
  readonly kind: ColumnKind;
  /** Name of the ONNX tensor holding the column. */
  readonly tensor: string;
  /** Raw input columns this column derives from (for the signature's nullable flags). */
  readonly sources: readonly string[];
  /** True once a missing value can no longer reach this column (it was imputed or encoded). */
  readonly missingSafe: boolean;
}

/** An ordered list of symbolic columns. */
export interface SymbolicTable {
  /** Columns in table order. */
  readonly columns: readonly SymbolicColumn[];
}

/** The symbolic column called `name`, or an error naming the columns that exist. */
export function symbolicColumn(table: SymbolicTable, name: string): SymbolicColumn {
  const col = table.columns.find((c) => c.name === name);
  if (!col) {
    throw new Error(
      `ONNX export: no column '${name}' at this step; columns: ${table.columns.map((c) => c.name).join(", ")}`,
    );
  }
  return col;
}

/** ONNX element type of a symbolic column's tensor. */
export function tensorTypeOf(kind: ColumnKind): "float" | "double" | "string" {
  return kind === "string" ? "string" : kind === "datetime" ? "double" : "float";
}
