/**
 * The one shape every protocol decoder produces: named columns of plain values, one per model
 * input that the request carried, plus the row count. Rows are turned into columns here so the
 * micro-batcher can concatenate requests column by column.
 */
import type { Signature } from "@keel/runtime";

/** Columns keyed by input name; every column holds `nRows` values. */
export interface ColumnarInput {
  /** Number of rows. */
  readonly nRows: number;
  /** Values per input name (only the inputs the request carried). */
  readonly columns: Readonly<Record<string, readonly unknown[]>>;
}

/**
 * Row objects to columns. A column is present only when at least one row has the key, so a
 * column missing from every row is reported as missing rather than read as all-null.
 */
export function rowsToColumns(
  rows: readonly Readonly<Record<string, unknown>>[],
  signature: Signature,
): ColumnarInput {
  const columns: Record<string, unknown[]> = {};
  for (const spec of signature.inputs) {
    if (!rows.some((r) => r !== null && typeof r === "object" && spec.name in r)) continue;
    columns[spec.name] = rows.map((r) => (r === null || typeof r !== "object" ? undefined : r[spec.name]));
  }
  return { nRows: rows.length, columns };
}

/** Concatenates inputs column by column, in order (the inputs of one batch). */
export function concatColumns(parts: readonly ColumnarInput[]): ColumnarInput {
  if (parts.length === 1) return parts[0]!;
  const names = Object.keys(parts[0]?.columns ?? {});
  const columns: Record<string, unknown[]> = {};
  for (const name of names) {
    const out: unknown[] = [];
    for (const p of parts) {
      const col = p.columns[name]!;
      for (let i = 0; i < col.length; i++) out.push(col[i]);
    }
    columns[name] = out;
  }
  return { nRows: parts.reduce((n, p) => n + p.nRows, 0), columns };
}
