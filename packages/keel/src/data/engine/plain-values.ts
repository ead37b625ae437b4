/** Conversion of DuckDB's JS values into plain JSON-friendly values for row consumers. */

/** `value` with bigint turned into number when it fits exactly (else left as bigint), recursively. */
export function toPlainValue(value: unknown): unknown {
  if (typeof value === "bigint") {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value;
  }
  if (Array.isArray(value)) return value.map(toPlainValue);
  if (
    value !== null &&
    typeof value === "object" &&
    !(value instanceof Date) &&
    !(value instanceof Uint8Array)
  ) {
    return toPlainRow(value as Record<string, unknown>);
  }
  return value;
}

/** A row object with every value passed through {@link toPlainValue}. */
export function toPlainRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(row)) out[key] = toPlainValue(row[key]);
  return out;
}
