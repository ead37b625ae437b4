/**
 * The type names an expectations file uses (`column_type: {type: integer}`), mapped from DuckDB's
 * physical types so a file stays valid when a reader picks INTEGER instead of BIGINT.
 */

/** Logical column types of `column_type`; `number` accepts integer and float columns. */
export const LOGICAL_TYPES = [
  "integer",
  "float",
  "number",
  "string",
  "boolean",
  "date",
  "timestamp",
] as const;

/** One of {@link LOGICAL_TYPES}. */
export type LogicalType = (typeof LOGICAL_TYPES)[number];

const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;
const FLOAT = /^(FLOAT|DOUBLE|REAL|DECIMAL(\(\d+,\s*\d+\))?)$/;
const STRING = /^(VARCHAR|ENUM\(.*\)|UUID)$/;
const TIMESTAMP = /^(TIMESTAMP(_S|_MS|_NS)?|TIMESTAMP WITH TIME ZONE)$/;

/**
 * The most specific logical type of a DuckDB type (`BIGINT` -> integer, `DECIMAL(10,2)` -> float),
 * or undefined for types an expectations file cannot name (lists, structs, blobs, intervals).
 */
export function logicalTypeOf(duckdbType: string): Exclude<LogicalType, "number"> | undefined {
  const type = duckdbType.toUpperCase();
  if (INTEGER.test(type)) return "integer";
  if (FLOAT.test(type)) return "float";
  if (STRING.test(type)) return "string";
  if (type === "BOOLEAN") return "boolean";
  if (type === "DATE") return "date";
  if (TIMESTAMP.test(type)) return "timestamp";
  return undefined;
}

/** True when a column of DuckDB type `duckdbType` satisfies `expected`. */
export function hasLogicalType(duckdbType: string, expected: LogicalType): boolean {
  const actual = logicalTypeOf(duckdbType);
  if (expected === "number") return actual === "integer" || actual === "float";
  return actual === expected;
}

/** True for integer and float columns (what mean/median and numeric bounds need). */
export function isNumericType(duckdbType: string): boolean {
  return hasLogicalType(duckdbType, "number");
}
