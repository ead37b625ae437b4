import { invalidParam } from "../../errors.js";
import type { ColumnInfo } from "../engine/duckdb-session.js";
import { sqlIdent, sqlString } from "../engine/sql-text.js";
import type { Expectation, ExpectationArgs } from "./expectation-kinds.js";
import { hasLogicalType, isNumericType, logicalTypeOf } from "./logical-types.js";
import { reportValue } from "./report-value.js";
import type { ObservedValue } from "./validation-report.js";

/** What a plan needs to know about the data and where its expectation sits in the file. */
export interface PlanContext {
  /** The relation (quoted view name) being validated. */
  readonly relation: string;
  /** Every column of the relation. */
  readonly columns: readonly ColumnInfo[];
  /** The prefix of error messages: `file: expectations[3].between.min (line 14)` for field `min`. */
  readonly where: (field?: string) => string;
}

/** A check's verdict before examples are attached. */
export interface Outcome {
  /** True when the expectation holds. */
  readonly success: boolean;
  /** The statistic it was judged on. */
  readonly observed: ObservedValue;
  /** Rows counted (row checks). */
  readonly elementCount?: number;
  /** Rows that broke it (row checks). */
  readonly unexpectedCount?: number;
}

/**
 * How one expectation is evaluated in SQL: aggregates computed in the single shared scan, a
 * row predicate selecting failing rows (for examples), and a judge reading the aggregates.
 */
export interface CheckPlan {
  /** Aggregate SQL expressions by local name, e.g. `{ bad: "count(*) FILTER (WHERE ...)" }`. */
  readonly aggregates: Readonly<Record<string, string>>;
  /** Scalar SQL run once before the scan so bad literals or patterns fail with the file path. */
  readonly probe?: string;
  /** Row predicate true for failing rows; absent for table-level checks. */
  readonly failing?: string;
  /** The verdict from the aggregates (by local name) and the table's row count. */
  judge(values: Readonly<Record<string, unknown>>, rowCount: number): Outcome;
}

/**
 * The SQL plan of one expectation. The column, when the expectation has one, must exist
 * (except for `column_exists`, whose job is to check that).
 * @throws KeelError INVALID_PARAMETER_VALUE when the column's type does not fit the expectation.
 */
export function planExpectation(e: Expectation, ctx: PlanContext): CheckPlan {
  switch (e.kind) {
    case "column_exists": {
      const present = ctx.columns.some((c) => c.name === e.args.column);
      return schemaCheck(present, present ? "present" : "missing");
    }
    case "column_type": {
      const col = columnOf(ctx, e.args.column);
      const logical = logicalTypeOf(col.type);
      return schemaCheck(
        hasLogicalType(col.type, e.args.type),
        logical ? `${col.type} (${logical})` : col.type,
      );
    }
    case "not_null": {
      const c = sqlIdent(e.args.column);
      return rowCheck(`${c} IS NULL`, e.args.mostly, "all", c);
    }
    case "unique": {
      const c = sqlIdent(e.args.column);
      // GE counts every row of a repeated value, not just the repeats.
      const dup = `${c} IN (SELECT ${c} FROM ${ctx.relation} WHERE ${c} IS NOT NULL GROUP BY ${c} HAVING count(*) > 1)`;
      return rowCheck(dup, e.args.mostly, "nonNull", c);
    }
    case "in_set": {
      const col = columnOf(ctx, e.args.column);
      const c = sqlIdent(col.name);
      const list = e.args.values.map((v, i) => literal(v, col, ctx, `values[${i}]`)).join(", ");
      return {
        ...rowCheck(`${c} IS NOT NULL AND ${c} NOT IN (${list})`, e.args.mostly, "nonNull", c),
        probe: `SELECT ${list}`,
      };
    }
    case "between":
      return betweenCheck(e.args, ctx);
    case "regex": {
      const col = columnOf(ctx, e.args.column);
      const c = sqlIdent(col.name);
      const pattern = sqlString(e.args.pattern);
      const plan = rowCheck(
        `${c} IS NOT NULL AND NOT regexp_matches(CAST(${c} AS VARCHAR), ${pattern})`,
        e.args.mostly,
        "nonNull",
        c,
      );
      return { ...plan, probe: `SELECT regexp_matches('', ${pattern})` };
    }
    case "row_count_between":
      return {
        aggregates: {},
        judge: (_v, rowCount) => ({ success: within(rowCount, e.args.min, e.args.max), observed: rowCount }),
      };
    case "mean_between":
      return statisticCheck("avg", e.args, ctx);
    case "median_between":
      return statisticCheck("median", e.args, ctx);
  }
}

/** A check decided by the schema alone. */
function schemaCheck(success: boolean, observed: string): CheckPlan {
  return { aggregates: {}, judge: () => ({ success, observed }) };
}

/**
 * A per-row check: `failing` selects bad rows; the passing share over `population` (all rows, or
 * non-null rows as GE does for value checks) must reach `mostly`.
 */
function rowCheck(
  failing: string,
  mostly: number,
  population: "all" | "nonNull",
  column: string,
  extra: Record<string, string> = {},
  observe?: (values: Readonly<Record<string, unknown>>) => ObservedValue,
): CheckPlan {
  return {
    aggregates: { bad: `count(*) FILTER (WHERE ${failing})`, nonNull: `count(${column})`, ...extra },
    failing,
    judge: (values, rowCount) => {
      const elementCount = population === "all" ? rowCount : Number(values.nonNull);
      const unexpectedCount = Number(values.bad);
      const passShare = elementCount === 0 ? 1 : (elementCount - unexpectedCount) / elementCount;
      return {
        success: passShare >= mostly,
        observed: observe ? observe(values) : passShare,
        elementCount,
        unexpectedCount,
      };
    },
  };
}

function betweenCheck(args: ExpectationArgs["between"], ctx: PlanContext): CheckPlan {
  const col = columnOf(ctx, args.column);
  const c = sqlIdent(col.name);
  const bounds: string[] = [];
  const tests: string[] = [];
  if (args.min !== undefined) {
    const min = literal(args.min, col, ctx, "min");
    bounds.push(min);
    tests.push(`${c} < ${min}`);
  }
  if (args.max !== undefined) {
    const max = literal(args.max, col, ctx, "max");
    bounds.push(max);
    tests.push(`${c} > ${max}`);
  }
  const plan = rowCheck(
    `${c} IS NOT NULL AND (${tests.join(" OR ")})`,
    args.mostly,
    "nonNull",
    c,
    { min: `min(${c})`, max: `max(${c})` },
    (v) => ({ min: reportValue(v.min ?? null), max: reportValue(v.max ?? null) }),
  );
  return { ...plan, probe: `SELECT ${bounds.join(", ")}` };
}

function statisticCheck(
  fn: "avg" | "median",
  args: ExpectationArgs["mean_between"],
  ctx: PlanContext,
): CheckPlan {
  const col = columnOf(ctx, args.column);
  if (!isNumericType(col.type)) {
    throw invalidParam(
      `${ctx.where()}: column '${col.name}' is ${col.type}; mean and median need a numeric column`,
    );
  }
  return {
    aggregates: { stat: `${fn}(${sqlIdent(col.name)})` },
    judge: (values) => {
      const stat = values.stat === null || values.stat === undefined ? null : Number(values.stat);
      // An all-null column has no mean: that cannot satisfy a bound.
      return { success: stat !== null && within(stat, args.min, args.max), observed: stat };
    },
  };
}

function within(value: number, min: number | undefined, max: number | undefined): boolean {
  return (min === undefined || value >= min) && (max === undefined || value <= max);
}

function columnOf(ctx: PlanContext, name: string): ColumnInfo {
  const col = ctx.columns.find((c) => c.name === name);
  if (!col) throw invalidParam(`${ctx.where()}: unknown column '${name}'`);
  return col;
}

/**
 * A SQL literal for `value` compared with column `col`: numbers for numeric columns, TRUE/FALSE
 * for booleans, CAST(ISO string) for dates and timestamps, text for strings (numbers become text).
 */
function literal(value: string | number | boolean, col: ColumnInfo, ctx: PlanContext, field: string): string {
  const kind = logicalTypeOf(col.type);
  const bad = (fix: string): never => {
    throw invalidParam(
      `${ctx.where(field)}: ${JSON.stringify(value)} does not fit column '${col.name}' (${col.type}); ${fix}`,
    );
  };
  switch (kind) {
    case "integer":
    case "float":
      return typeof value === "number" ? String(value) : bad("give a number");
    case "boolean":
      return typeof value === "boolean" ? (value ? "TRUE" : "FALSE") : bad("give true or false");
    case "date":
    case "timestamp":
      return typeof value === "string"
        ? `CAST(${sqlString(value)} AS ${col.type})`
        : bad("give an ISO string like '2012-01-01'");
    case "string":
      return typeof value === "boolean" ? bad("give text") : sqlString(String(value));
    case undefined:
      return bad("values can be compared only on numeric, boolean, text, date and timestamp columns");
  }
}
