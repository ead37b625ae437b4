/**
 * A value from a query made safe for reports: integers beyond 2^53 (left as bigint by the engine
 * so no digit is lost) become decimal strings, since JSON has no bigint.
 */
export function reportValue(value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
