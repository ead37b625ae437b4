import { invalidParam, isKeelError } from "../../errors.js";
import type { DataSession } from "../engine/duckdb-session.js";
import { sqlIdent } from "../engine/sql-text.js";
import { type CheckPlan, type PlanContext, planExpectation } from "./check-plans.js";
import { type Expectation, expectationColumn } from "./expectation-kinds.js";
import { type ExpectationSuite, formatPath, lineSuffix } from "./expectations-file.js";
import { reportValue } from "./report-value.js";
import type { ExpectationResult, FailingExample, ValidationReport } from "./validation-report.js";

/** How many failing rows a result shows. */
export const MAX_EXAMPLES = 5;

// Row numbers come from a window over the scan, which DuckDB runs in file order.
const ROW = sqlIdent("__keel_row");

/**
 * Evaluates every expectation of `suite` against `relation` in SQL: one aggregate scan for all
 * counts and statistics, then one small query per failing row check for its first examples.
 *
 * A column named by an expectation must exist, or the file is wrong (a typo): that is an error,
 * unless the suite also lists `column_exists` for it; then the data is wrong, the column_exists
 * expectation fails and the column's other expectations fail with a note.
 *
 * @param dataLabel - the data file as the user named it (for the report).
 * @throws KeelError INVALID_PARAMETER_VALUE naming the file, expectation and line for an unknown
 * column, a type that does not fit, a bad literal or an invalid regular expression.
 */
export async function validateRelation(
  session: DataSession,
  relation: string,
  suite: ExpectationSuite,
  dataLabel: string,
): Promise<ValidationReport> {
  const columns = await session.describe(relation);
  const names = new Set(columns.map((c) => c.name));
  const declared = new Set(
    suite.expectations.flatMap((e) => (e.kind === "column_exists" ? [e.args.column] : [])),
  );

  const plans = suite.expectations.map((e): CheckPlan | "missing" => {
    const where = whereOf(suite, e);
    const column = expectationColumn(e);
    if (column !== undefined && e.kind !== "column_exists" && !names.has(column)) {
      if (declared.has(column)) return "missing";
      throw invalidParam(`${where()}: unknown column '${column}' (columns: ${[...names].join(", ")})`);
    }
    return planExpectation(e, { relation, columns, where });
  });
  await probeAll(session, suite, plans);

  const values = await aggregate(session, relation, plans);
  const rowCount = Number(values.__n);
  const results: ExpectationResult[] = [];
  for (const [i, e] of suite.expectations.entries()) {
    const plan = plans[i]!;
    const base = { index: e.index, expectation: e.kind, column: expectationColumn(e) ?? null, args: e.args };
    if (plan === "missing") {
      results.push({ ...base, success: false, observed: null, note: `column '${base.column}' is missing` });
      continue;
    }
    const outcome = plan.judge(localValues(values, i), rowCount);
    const result: ExpectationResult = { ...base, ...outcome };
    if (outcome.unexpectedCount !== undefined) {
      const elements = outcome.elementCount ?? 0;
      Object.assign(result, { unexpectedFraction: elements === 0 ? 0 : outcome.unexpectedCount / elements });
      if (outcome.unexpectedCount > 0 && plan.failing && base.column !== null) {
        Object.assign(result, { examples: await examples(session, relation, base.column, plan.failing) });
      }
    }
    results.push(result);
  }
  const failed = results.filter((r) => !r.success).length;
  return { data: dataLabel, expectations: suite.source, rowCount, success: failed === 0, failed, results };
}

/** `file: expectations[3].between[.field] (line 14)` for error messages. */
function whereOf(suite: ExpectationSuite, e: Expectation): PlanContext["where"] {
  return (field) => {
    const path = ["expectations", e.index, e.kind, ...(field === undefined ? [] : [field])];
    return `${suite.source}: ${formatPath(path)}${lineSuffix(e.line)}`;
  };
}

// Literals and patterns are checked on their own first, so a bad one names its expectation.
async function probeAll(
  session: DataSession,
  suite: ExpectationSuite,
  plans: readonly (CheckPlan | "missing")[],
): Promise<void> {
  for (const [i, plan] of plans.entries()) {
    if (plan === "missing" || plan.probe === undefined) continue;
    try {
      await session.query(plan.probe);
    } catch (error) {
      const message = isKeelError(error) || error instanceof Error ? error.message : String(error);
      throw invalidParam(`${whereOf(suite, suite.expectations[i]!)()}: ${message}`);
    }
  }
}

// One scan computes the row count and every plan's aggregates, aliased `e<i>_<name>`.
async function aggregate(
  session: DataSession,
  relation: string,
  plans: readonly (CheckPlan | "missing")[],
): Promise<Record<string, unknown>> {
  const select = [`count(*) AS ${sqlIdent("__n")}`];
  for (const [i, plan] of plans.entries()) {
    if (plan === "missing") continue;
    for (const [name, sql] of Object.entries(plan.aggregates))
      select.push(`${sql} AS ${sqlIdent(`e${i}_${name}`)}`);
  }
  const [row] = await session.query(`SELECT ${select.join(", ")} FROM ${relation}`);
  return row ?? { __n: 0 };
}

function localValues(values: Readonly<Record<string, unknown>>, index: number): Record<string, unknown> {
  const prefix = `e${index}_`;
  const local: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values))
    if (key.startsWith(prefix)) local[key.slice(prefix.length)] = value;
  return local;
}

// The first failing rows in file order (DuckDB stops the scan once it has them).
async function examples(
  session: DataSession,
  relation: string,
  column: string,
  failing: string,
): Promise<FailingExample[]> {
  const rows = await session.query(
    `SELECT ${ROW} AS row_number, ${sqlIdent(column)} AS value
       FROM (SELECT row_number() OVER () AS ${ROW}, * FROM ${relation})
      WHERE ${failing} ORDER BY ${ROW} LIMIT ${MAX_EXAMPLES}`,
  );
  return rows.map((r) => ({ row: Number(r.row_number), value: reportValue(r.value) }));
}
