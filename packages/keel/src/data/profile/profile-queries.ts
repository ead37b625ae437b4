import type { ColumnKind } from "../engine/column-kind.js";
import { sqlIdent } from "../engine/sql-text.js";
import { type DatetimeUnit, PROFILE_QUANTILES } from "./dataset-profile.js";

/** A column as the profile queries see it: its position, quoted name and kind. */
export interface ProfiledColumn {
  /** Position in the table (used in aliases, so names never collide). */
  readonly index: number;
  /** Column name. */
  readonly name: string;
  /** DuckDB type. */
  readonly type: string;
  /** Kind. */
  readonly kind: ColumnKind;
}

/** Bins of numeric histograms. */
export const NUMERIC_BINS = 20;

const quantileList = `[${PROFILE_QUANTILES.join(", ")}]`;

// Text-kind columns of other types (lists, structs, UUIDs) are profiled through their text form.
function valueExpr(c: ProfiledColumn): string {
  const ident = sqlIdent(c.name);
  return c.kind === "string" && c.type !== "VARCHAR" ? `CAST(${ident} AS VARCHAR)` : ident;
}

const asDouble = (c: ProfiledColumn): string => `CAST(${sqlIdent(c.name)} AS DOUBLE)`;

/**
 * One pass for counts, distinct counts, extremes and moments of every column. Aliases are
 * `n<i>`, `d<i>`, `min<i>`, `max<i>`, `mean<i>`, `std<i>`, `skew<i>`.
 */
export function summarySql(
  relation: string,
  columns: readonly ProfiledColumn[],
  exactDistinct: boolean,
): string {
  const parts = ["count(*) AS keel_rows"];
  for (const c of columns) {
    const v = valueExpr(c);
    const i = c.index;
    parts.push(`count(${v}) AS n${i}`);
    parts.push(`${exactDistinct ? `count(DISTINCT ${v})` : `approx_count_distinct(${v})`} AS d${i}`);
    parts.push(`min(${v}) AS min${i}`, `max(${v}) AS max${i}`);
    if (c.kind === "numeric") {
      const x = asDouble(c);
      parts.push(`avg(${x}) AS mean${i}`, `stddev_samp(${x}) AS std${i}`, `skewness(${x}) AS skew${i}`);
    } else if (c.kind === "boolean") {
      parts.push(`avg(CAST(${sqlIdent(c.name)} AS INTEGER)) AS mean${i}`);
    }
  }
  return `SELECT ${parts.join(", ")} FROM ${relation}`;
}

/** One pass for the quantiles of numeric (interpolated) and datetime (nearest) columns: `q<i>`. */
export function quantileSql(relation: string, columns: readonly ProfiledColumn[]): string | undefined {
  const parts = columns.flatMap((c) => {
    if (c.kind === "numeric") return [`quantile_cont(${asDouble(c)}, ${quantileList}) AS q${c.index}`];
    if (c.kind === "datetime") return [`quantile_disc(${sqlIdent(c.name)}, ${quantileList}) AS q${c.index}`];
    return [];
  });
  return parts.length === 0 ? undefined : `SELECT ${parts.join(", ")} FROM ${relation}`;
}

/** How to bin one column: equal-width from `min` with `width`, or by calendar `unit`. */
export type BinPlan =
  | {
      readonly column: ProfiledColumn;
      readonly kind: "numeric";
      readonly min: number;
      readonly width: number;
    }
  | { readonly column: ProfiledColumn; readonly kind: "datetime"; readonly unit: DatetimeUnit };

/** One pass with DuckDB's `histogram` aggregate (a value → count map) per binned column: `h<i>`. */
export function histogramSql(relation: string, plans: readonly BinPlan[]): string | undefined {
  const parts = plans.map((p) => {
    const i = p.column.index;
    if (p.kind === "datetime") {
      return `histogram(date_trunc('${p.unit}', ${sqlIdent(p.column.name)})) AS h${i}`;
    }
    const bin =
      p.width === 0
        ? "0"
        : `least(CAST(floor((${asDouble(p.column)} - ${literal(p.min)}) / ${literal(p.width)}) AS INTEGER), ${NUMERIC_BINS - 1})`;
    // least() skips NULL arguments, so nulls must be kept out explicitly.
    return `histogram(CASE WHEN ${sqlIdent(p.column.name)} IS NULL THEN NULL ELSE ${bin} END) AS h${i}`;
  });
  return parts.length === 0 ? undefined : `SELECT ${parts.join(", ")} FROM ${relation}`;
}

/** One statement for the top `k` values of each categorical column: rows of (col, value, n). */
export function topCategoriesSql(
  relation: string,
  columns: readonly ProfiledColumn[],
  k = 10,
): string | undefined {
  if (columns.length === 0) return undefined;
  return columns
    .map((c) => {
      const v = `CAST(${sqlIdent(c.name)} AS VARCHAR)`;
      return (
        `(SELECT ${c.index} AS col, ${v} AS value, count(*) AS n FROM ${relation} ` +
        `WHERE ${sqlIdent(c.name)} IS NOT NULL GROUP BY ${v} ORDER BY n DESC, value LIMIT ${k})`
      );
    })
    .join(" UNION ALL ");
}

// Numbers we computed ourselves, spliced as exact literals (never user text).
function literal(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`non-finite histogram bound ${x}`);
  return `CAST(${x.toPrecision(17)} AS DOUBLE)`;
}
