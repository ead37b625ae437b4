import type { ColumnProfile, ProfileWarning } from "./dataset-profile.js";

/** Thresholds of the profile warnings (documented in docs/data.md). */
export const WARNING_THRESHOLDS = Object.freeze({
  /** Text columns whose distinct/rows exceeds this look like identifiers. */
  highCardinality: 0.9,
  /** |sample skewness| above this is "skewed". */
  skewness: 2,
  /** missing/rows above this is "high missing". */
  missingShare: 0.2,
});

/** Warnings for one column (`profile.warnings` is ignored; the result replaces it). */
export function columnWarnings(column: Omit<ColumnProfile, "warnings">, rows: number): ProfileWarning[] {
  const out: ProfileWarning[] = [];
  const add = (kind: ProfileWarning["kind"], message: string) =>
    out.push({ kind, column: column.name, message });
  if (rows > 0 && column.count === 0) {
    add("all_missing", `every value of '${column.name}' is missing`);
    return out;
  }
  if (rows > 0 && column.distinct <= 1) {
    add("constant", `'${column.name}' has a single value (${String(column.min)}); it carries no information`);
  }
  if (column.kind === "string" && rows > 0 && column.distinct / rows > WARNING_THRESHOLDS.highCardinality) {
    add(
      "high_cardinality",
      `'${column.name}' has ${column.distinct} distinct values in ${rows} rows (${pct(column.distinct / rows)}): an identifier?`,
    );
  }
  if (column.skewness !== null && Math.abs(column.skewness) > WARNING_THRESHOLDS.skewness) {
    add(
      "skewed",
      `'${column.name}' is skewed (skewness ${column.skewness.toFixed(2)}); consider a log transform`,
    );
  }
  if (column.missingShare > WARNING_THRESHOLDS.missingShare) {
    add(
      "high_missing",
      `'${column.name}' is ${pct(column.missingShare)} missing (${column.missing} of ${rows})`,
    );
  }
  return out;
}

function pct(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
