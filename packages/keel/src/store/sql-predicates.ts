/**
 * SQL for one comparison of the search grammar, identical on both backends:
 * - `LIKE` is case-sensitive: PostgreSQL's LIKE is; on SQLite (whose LIKE ignores ASCII case) the
 *   pattern is translated to GLOB, which is case-sensitive.
 * - `ILIKE` is case-insensitive: PostgreSQL's ILIKE; SQLite's own LIKE.
 * - No escape character in patterns on either side (`ESCAPE ''` on PostgreSQL), as in MLflow.
 */
import { type Expression, type RawBuilder, type SqlBool, sql } from "kysely";
import { invalidParam } from "../errors.js";
import type { SqlBackend } from "./schema.js";
import type { ComparisonOp } from "./search/filter-ast.js";

const NUMERIC_OPS = new Set<ComparisonOp>(["=", "!=", "<", "<=", ">", ">="]);

/** SQL LIKE pattern -> GLOB pattern: `%` -> `*`, `_` -> `?`, GLOB's own specials made literal. */
export function likeToGlob(pattern: string): string {
  let out = "";
  for (const ch of pattern) {
    if (ch === "%") out += "*";
    else if (ch === "_") out += "?";
    else if (ch === "*" || ch === "?" || ch === "[") out += `[${ch}]`;
    else out += ch;
  }
  return out;
}

function asStringList(value: unknown, op: ComparisonOp): string[] {
  if (!Array.isArray(value))
    throw invalidParam(`The ${op} operator needs a list of values, like ('a', 'b').`);
  return value.map(String);
}

/** `column OP value` for a string column. */
export function stringPredicate(
  backend: SqlBackend,
  column: Expression<unknown>,
  op: ComparisonOp,
  value: unknown,
): RawBuilder<SqlBool> {
  switch (op) {
    case "=":
      return sql<SqlBool>`${column} = ${String(value)}`;
    case "!=":
      return sql<SqlBool>`${column} <> ${String(value)}`;
    case "LIKE":
      return backend === "postgresql"
        ? sql<SqlBool>`${column} LIKE ${String(value)} ESCAPE ''`
        : sql<SqlBool>`${column} GLOB ${likeToGlob(String(value))}`;
    case "ILIKE":
      return backend === "postgresql"
        ? sql<SqlBool>`${column} ILIKE ${String(value)} ESCAPE ''`
        : sql<SqlBool>`${column} LIKE ${String(value)}`;
    case "IN":
    case "NOT IN": {
      const values = asStringList(value, op);
      if (values.length === 0) return op === "IN" ? sql<SqlBool>`1 = 0` : sql<SqlBool>`1 = 1`;
      const list = sql.join(values);
      return op === "IN" ? sql<SqlBool>`${column} IN (${list})` : sql<SqlBool>`${column} NOT IN (${list})`;
    }
    default:
      throw invalidParam(
        `Operator '${op}' does not apply to strings; use one of =, !=, LIKE, ILIKE, IN, NOT IN.`,
      );
  }
}

/** `column OP value` for a numeric column. */
export function numberPredicate(
  column: Expression<unknown>,
  op: ComparisonOp,
  value: unknown,
): RawBuilder<SqlBool> {
  if (!NUMERIC_OPS.has(op)) {
    throw invalidParam(`Operator '${op}' does not apply to numbers; use one of =, !=, <, <=, >, >=.`);
  }
  const n = typeof value === "number" ? value : Number(value);
  if (typeof value === "string" ? value.trim() === "" || Number.isNaN(n) : Number.isNaN(n)) {
    throw invalidParam(`Expected a number to compare with '${op}', got '${String(value)}'.`);
  }
  return sql<SqlBool>`${column} ${sql.raw(op === "!=" ? "<>" : op)} ${n}`;
}

/** A string expression ordered byte-wise on both backends (PostgreSQL's default collation may not be). */
export function textOrder(backend: SqlBackend, expr: Expression<unknown>): RawBuilder<unknown> {
  return backend === "postgresql" ? sql`${expr} COLLATE "C"` : sql`${expr}`;
}
