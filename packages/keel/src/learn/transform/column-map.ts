import { invalidParam } from "../../errors.js";
import type { Table, TypedColumn } from "../core/table.js";

/**
 * Rebuilds `table` with each column named in `owned` replaced by `fn(column)` (zero or more
 * output columns, in place); other columns pass through. A missing owned column is an error
 * listing all of them, since a model must see the columns it was fitted on.
 */
export function mapColumns(
  table: Table,
  owned: readonly string[],
  who: string,
  fn: (col: TypedColumn, index: number) => TypedColumn[],
): Table {
  const position = new Map(owned.map((name, i) => [name, i]));
  const present = new Set(table.columns.map((c) => c.name));
  const missing = owned.filter((name) => !present.has(name));
  if (missing.length > 0) {
    throw invalidParam(`${who} was fitted on column(s) missing from the input: ${missing.join(", ")}`);
  }
  const columns: TypedColumn[] = [];
  for (const col of table.columns) {
    const i = position.get(col.name);
    if (i === undefined) columns.push(col);
    else columns.push(...fn(col, i));
  }
  return { rowCount: table.rowCount, columns };
}

/** Rejects an empty table (no rows) with a message naming the step. */
export function checkNonEmpty(table: Table, who: string): void {
  if (table.rowCount === 0)
    throw invalidParam(`${who} got an empty table (0 rows): the data file has no rows`);
}

/** The columns a numeric-only step owns; a string column is an error naming it and the fix. */
export function numericColumnNames(table: Table, who: string): string[] {
  return table.columns.map((c) => {
    if (c.kind === "string") {
      throw invalidParam(
        `${who} needs numeric columns but '${c.name}' holds strings: encode it first, or fix the values if it should be numeric`,
      );
    }
    return c.name;
  });
}

/** Category label of a cell: strings as is, numbers formatted like JSON; null for missing. */
export function categoryOf(col: TypedColumn, i: number): string | null {
  if (col.kind === "string") return col.values[i] ?? null;
  const v = col.values[i]!;
  return Number.isNaN(v) ? null : String(v);
}

/** Sorted distinct non-missing categories of a column (numbers sorted numerically). */
export function categoriesOf(col: TypedColumn): string[] {
  const seen = new Set<string>();
  for (let i = 0; i < col.values.length; i++) {
    const c = categoryOf(col, i);
    if (c !== null) seen.add(c);
  }
  const out = [...seen];
  return col.kind === "string"
    ? out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    : out.sort((a, b) => Number(a) - Number(b));
}
