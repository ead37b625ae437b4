import type { DataSession } from "../engine/duckdb-session.js";
import { sqlIdent } from "../engine/sql-text.js";
import { logicalTypeOf } from "../validate/logical-types.js";
import { reportValue } from "../validate/report-value.js";
import { SPLIT_COLUMN } from "./split-assignment.js";
import type { SplitName } from "./split-config.js";

/** Integer targets with at most this many distinct values are classes (0/1 labels), not numbers. */
export const MAX_INTEGER_CLASSES = 20;
/** Classes listed by name; rarer ones are summed into one "other" entry. */
export const MAX_LISTED_CLASSES = 20;

/** One class of a categorical target within one split. */
export interface ClassShare {
  /** Class value (null for missing). */
  readonly value: unknown;
  /** Rows of this class in the split. */
  readonly count: number;
  /** count / rows of the split. */
  readonly share: number;
}

/** Target balance of a split: class counts and shares, or mean and std of a numeric target. */
export type TargetBalance =
  | {
      /** A categorical or boolean target (or an integer one with few values). */
      readonly kind: "classes";
      /** Classes by overall frequency (the same order in every split). */
      readonly classes: readonly ClassShare[];
      /** Rows of classes beyond {@link MAX_LISTED_CLASSES}, summed. */
      readonly otherCount: number;
    }
  | {
      /** A numeric target. */
      readonly kind: "numeric";
      /** Non-null target values. */
      readonly count: number;
      /** Mean (null when no value). */
      readonly mean: number | null;
      /** Sample standard deviation (null with fewer than two values). */
      readonly std: number | null;
    };

/**
 * The balance of `target` in each split of `table` (which has {@link SPLIT_COLUMN}).
 * @param targetType - the target's DuckDB type.
 * @param splitRows - rows per split (shares are of these).
 */
export async function targetBalance(
  session: DataSession,
  table: string,
  target: string,
  targetType: string,
  splitRows: Readonly<Partial<Record<SplitName, number>>>,
): Promise<Partial<Record<SplitName, TargetBalance>>> {
  const t = sqlIdent(target);
  if (!(await isCategorical(session, table, t, targetType))) {
    const rows = await session.query(
      `SELECT ${SPLIT_COLUMN} AS part, count(${t}) AS n, avg(${t}) AS mean, stddev_samp(${t}) AS std FROM ${table} GROUP BY ALL`,
    );
    return Object.fromEntries(
      rows.map((r) => [
        r.part as SplitName,
        { kind: "numeric", count: Number(r.n), mean: numberOrNull(r.mean), std: numberOrNull(r.std) },
      ]),
    );
  }
  const rows = await session.query(
    `SELECT ${SPLIT_COLUMN} AS part, ${t} AS value, count(*) AS n,
            sum(count(*)) OVER (PARTITION BY ${t}) AS overall
       FROM ${table} GROUP BY 1, 2 ORDER BY overall DESC, value NULLS LAST`,
  );
  // Classes in overall order, found once so every split lists them alike.
  const order: unknown[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    const id = classId(r.value);
    if (!seen.has(id)) {
      seen.add(id);
      order.push(r.value);
    }
  }
  const listed = order.slice(0, MAX_LISTED_CLASSES);
  const balance: Partial<Record<SplitName, TargetBalance>> = {};
  for (const [part, total] of Object.entries(splitRows) as [SplitName, number][]) {
    const counts = new Map(rows.filter((r) => r.part === part).map((r) => [classId(r.value), Number(r.n)]));
    const classes = listed.map((value) => {
      const count = counts.get(classId(value)) ?? 0;
      return { value: reportValue(value), count, share: total === 0 ? 0 : count / total };
    });
    const listedCount = classes.reduce((sum, c) => sum + c.count, 0);
    balance[part] = { kind: "classes", classes, otherCount: total - listedCount };
  }
  return balance;
}

// Strings and booleans are classes; integers too when they take few values.
async function isCategorical(session: DataSession, table: string, t: string, type: string): Promise<boolean> {
  const logical = logicalTypeOf(type);
  if (logical === "float") return false;
  if (logical !== "integer") return true;
  const [row] = await session.query(`SELECT count(DISTINCT ${t}) AS k FROM ${table}`);
  return Number(row?.k) <= MAX_INTEGER_CLASSES;
}

function classId(value: unknown): string {
  return value instanceof Date ? `d${value.getTime()}` : `${typeof value}:${String(value)}`;
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
