/**
 * Checks on the feature columns before fitting, so bad data fails with a message naming the
 * column, the row and the fix rather than deep inside a learner.
 */
import { invalidParam } from "../../errors.js";
import type { Table } from "../core/table.js";

/** Share of values that must parse as numbers before a text column counts as "numbers stored as text". */
const NUMERIC_TEXT_SHARE = 0.9;

/**
 * Throws for a text column that is almost all numbers (a stray string such as "n/a" made the
 * reader type it as text), naming the first offending row. Columns listed in `categorical` are
 * taken as categories and skipped. (All-missing columns are rejected by inferColumnRoles.)
 */
export function checkFeatureColumns(
  table: Table,
  source: string,
  categorical: ReadonlySet<string> = new Set(),
): void {
  for (const col of table.columns) {
    if (col.kind === "string" && !categorical.has(col.name)) {
      const row = strayStringRow(col.values);
      if (row >= 0) {
        throw invalidParam(
          `Column '${col.name}' of ${source} holds numbers but row ${row} is '${col.values[row]}', so the column was read as text: fix or blank that value, or pass --role ${col.name}=categorical to treat it as categories`,
        );
      }
    }
  }
}

/** Row of the first non-number in a text column whose values are nearly all numbers, else -1. */
function strayStringRow(values: readonly (string | null)[]): number {
  let present = 0;
  let numbers = 0;
  let first = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    present++;
    if (v.trim() !== "" && Number.isFinite(Number(v))) numbers++;
    else if (first < 0) first = i;
  }
  return present > 0 && first >= 0 && numbers / present >= NUMERIC_TEXT_SHARE ? first : -1;
}
