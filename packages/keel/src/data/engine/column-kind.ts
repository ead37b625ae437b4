/** How Keel treats a DuckDB column type: numbers, booleans, datetimes and everything else as text. */
export type ColumnKind = "numeric" | "boolean" | "datetime" | "string";

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?)$/;
const DATETIME = /^(DATE|TIMESTAMP(_S|_MS|_NS)?|TIMESTAMP WITH TIME ZONE)$/;

/** The kind of a DuckDB type name as `DESCRIBE` prints it (`BIGINT`, `DECIMAL(10,2)`, `DATE`...). */
export function columnKind(duckdbType: string): ColumnKind {
  const type = duckdbType.toUpperCase();
  if (NUMERIC.test(type)) return "numeric";
  if (type === "BOOLEAN") return "boolean";
  if (DATETIME.test(type)) return "datetime";
  return "string";
}

/**
 * A SQL expression turning column `ident` (already quoted) of `kind` into what typed readers
 * consume: DOUBLE for numbers and booleans, epoch milliseconds (DOUBLE) for datetimes, VARCHAR
 * otherwise.
 */
export function numericExpression(ident: string, kind: ColumnKind, duckdbType: string): string {
  switch (kind) {
    case "numeric":
    case "boolean":
      return `CAST(${ident} AS DOUBLE)`;
    case "datetime":
      return duckdbType.toUpperCase().includes("TIME ZONE")
        ? `CAST(epoch_ms(${ident}) AS DOUBLE)`
        : `CAST(epoch_ms(CAST(${ident} AS TIMESTAMP)) AS DOUBLE)`;
    case "string":
      return `CAST(${ident} AS VARCHAR)`;
  }
}
