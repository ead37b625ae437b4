import type { ExpectationResult, ObservedValue } from "./validation-report.js";

/** How many `in_set` values a description lists before eliding the rest. */
const LISTED_VALUES = 4;

/**
 * A short human description of an expectation's rule, without its column:
 * `between -20..45`, `in_set {drizzle, fog, rain, …}`, `not_null (mostly 0.99)`.
 */
export function describeExpectation(result: Pick<ExpectationResult, "expectation" | "args">): string {
  const a = result.args as Record<string, unknown>;
  const range = () => `${a.min === undefined ? "" : show(a.min)}..${a.max === undefined ? "" : show(a.max)}`;
  let rule: string;
  switch (result.expectation) {
    case "column_type":
      rule = `column_type ${String(a.type)}`;
      break;
    case "in_set": {
      const values = (a.values as unknown[]).map((v) => show(v));
      const listed = values.slice(0, LISTED_VALUES).join(", ");
      rule = `in_set {${listed}${values.length > LISTED_VALUES ? ", …" : ""}}`;
      break;
    }
    case "regex":
      rule = `regex ${String(a.pattern)}`;
      break;
    case "between":
    case "row_count_between":
    case "mean_between":
    case "median_between":
      rule = `${result.expectation} ${range()}`;
      break;
    default:
      rule = result.expectation;
  }
  return typeof a.mostly === "number" && a.mostly < 1 ? `${rule} (mostly ${a.mostly})` : rule;
}

/** An observed value as text: shares as percents, ranges as `min..max`, dates as ISO dates. */
export function describeObserved(result: Pick<ExpectationResult, "observed" | "unexpectedCount">): string {
  const o: ObservedValue = result.observed;
  if (o === null) return "-";
  if (typeof o === "object") {
    // A timestamp range shows both ends in full, even when one falls on midnight.
    const full = [o.min, o.max].some((v) => v instanceof Date && !isMidnight(v));
    return `${show(o.min, full)}..${show(o.max, full)}`;
  }
  // Row checks observe a passing share; present it as a percentage.
  if (typeof o === "number" && result.unexpectedCount !== undefined) return percent(o);
  return show(o);
}

/**
 * A value as text: a Date at midnight as `2012-01-01` (unless `fullTime`), other Dates as ISO
 * date-times, numbers compact, strings as they are.
 */
export function show(value: unknown, fullTime = false): string {
  if (value === null || value === undefined) return "null";
  if (value instanceof Date) {
    const iso = value.toISOString();
    return isMidnight(value) && !fullTime ? iso.slice(0, 10) : iso.replace(".000Z", "Z");
  }
  if (typeof value === "number")
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  return String(value);
}

/** A share in [0, 1] as a percentage: one decimal from 1% up, two significant digits below. */
export function percent(share: number): string {
  if (share < 1 && share > 0.999) return ">99.9%";
  if (share === 0 || share >= 0.01) return `${(share * 100).toFixed(share === 0 || share === 1 ? 0 : 1)}%`;
  return `${Number((share * 100).toPrecision(2))}%`;
}

function isMidnight(d: Date): boolean {
  return d.toISOString().endsWith("T00:00:00.000Z");
}
