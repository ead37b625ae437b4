/**
 * Helper for transformers that replace each owned column with zero or more new columns, in place,
 * as learn/transform's `mapColumns` does (other columns pass through in order).
 */
import { type SymbolicColumn, type SymbolicTable, symbolicColumn } from "../symbolic-table.js";

/** Rebuilds `table` with each column in `owned` replaced by `fn(column, index)`. */
export function mapSymbolicColumns(
  table: SymbolicTable,
  owned: readonly string[],
  fn: (col: SymbolicColumn, index: number) => SymbolicColumn[],
): SymbolicTable {
  const position = new Map(owned.map((name, i) => [name, i]));
  for (const name of owned) symbolicColumn(table, name);
  const columns: SymbolicColumn[] = [];
  for (const col of table.columns) {
    const i = position.get(col.name);
    if (i === undefined) columns.push(col);
    else columns.push(...fn(col, i));
  }
  return { columns };
}

/** A derived numeric column: same sources as `from`, a new name and tensor. */
export function derived(
  from: SymbolicColumn,
  name: string,
  tensor: string,
  missingSafe = from.missingSafe,
): SymbolicColumn {
  return { name, kind: "numeric", tensor, sources: from.sources, missingSafe };
}
