import { randomUUID } from "node:crypto";
import { invalidParam } from "../../errors.js";
import type { DataSession } from "../engine/duckdb-session.js";
import { sqlIdent, sqlString } from "../engine/sql-text.js";
import type { SplitConfig } from "./split-config.js";
import { keyedSql } from "./split-key.js";

/** Helper column names; long and prefixed so they do not meet a user's columns. */
export const ROW_COLUMN = sqlIdent("__keel_row");
/** The split of each row: 'train', 'valid' or 'test'. */
export const SPLIT_COLUMN = sqlIdent("__keel_split");
const KEY = sqlIdent("__keel_key");
const POS = sqlIdent("__keel_pos");

/**
 * Materialises `table`: every row of `relation` with its 1-based file row number
 * ({@link ROW_COLUMN}) and its split ({@link SPLIT_COLUMN}). Everything happens in SQL:
 *
 * - random: rows ordered by the seeded key; the first round(n·test) are test, the next
 *   round(n·valid) valid, the rest train (exact sizes).
 * - stratified: the same within each target class (nulls form a class), with at least one row
 *   of each class in every split, so each class's share is within one row of exact.
 * - time: rows ordered by `by` (nulls first, ties by row number); the last round(n·test) are
 *   test and the round(n·valid) before them valid.
 * - group: the distinct values of `by` in a seeded order, dealt out by cumulative size, so each
 *   value lands in exactly one split (sizes approximate).
 *
 * @param rowCount - rows in `relation` (counted by the caller).
 * @param created - receives the name of every temp table made (`table` and helpers), even when
 *   this throws, so the caller can drop them.
 * @throws KeelError INVALID_PARAMETER_VALUE when a class is too small to stratify.
 */
export async function assignSplits(
  session: DataSession,
  relation: string,
  table: string,
  config: SplitConfig,
  rowCount: number,
  created: string[],
): Promise<void> {
  const numbered = `SELECT row_number() OVER () AS ${ROW_COLUMN}, * FROM ${relation}`;
  const keyed = keyedSql(numbered, ROW_COLUMN, KEY, config.seed);
  const nTest = Math.round(rowCount * config.test);
  const nValid = Math.round(rowCount * config.valid);
  let select: string;
  switch (config.strategy) {
    case "random":
      select = `SELECT * EXCLUDE (${KEY}, ${POS}), ${splitCase(POS, `${nTest}`, `${nValid}`)} AS ${SPLIT_COLUMN}
        FROM (SELECT *, row_number() OVER (ORDER BY ${KEY}, ${ROW_COLUMN}) AS ${POS} FROM (${keyed}))`;
      break;
    case "time": {
      // Counted from the end: position 1 is the latest row.
      const by = sqlIdent(config.by!);
      select = `SELECT * EXCLUDE (${POS}), ${splitCase(POS, `${nTest}`, `${nValid}`)} AS ${SPLIT_COLUMN}
        FROM (SELECT *, row_number() OVER (ORDER BY ${by} DESC NULLS LAST, ${ROW_COLUMN} DESC) AS ${POS} FROM (${numbered}))`;
      break;
    }
    case "stratified":
      select = await stratifiedSelect(session, relation, keyed, config, created);
      break;
    case "group":
      select = await groupSelect(session, relation, numbered, config, rowCount, created);
      break;
  }
  created.push(table);
  await session.run(`CREATE TEMP TABLE ${table} AS ${select}`);
}

/** CASE giving 'test' to positions 1..nTest, 'valid' to the next nValid, 'train' after. */
function splitCase(pos: string, nTest: string, nValid: string): string {
  return `CASE WHEN ${pos} <= ${nTest} THEN 'test' WHEN ${pos} <= ${nTest} + ${nValid} THEN 'valid' ELSE 'train' END`;
}

// Per-class quotas in a small temp table, checked before any row is assigned.
async function stratifiedSelect(
  session: DataSession,
  relation: string,
  keyed: string,
  config: SplitConfig,
  helpers: string[],
): Promise<string> {
  const target = sqlIdent(config.target!);
  const classes = sqlIdent(`keel_classes_${randomUUID().replaceAll("-", "")}`);
  const quota = (share: number) =>
    share > 0 ? `CAST(greatest(1, round(count(*) * ${share})) AS BIGINT)` : "CAST(0 AS BIGINT)";
  helpers.push(classes);
  await session.run(
    `CREATE TEMP TABLE ${classes} AS SELECT ${target} AS cls, count(*) AS n,
       ${quota(config.test)} AS n_test, ${quota(config.valid)} AS n_valid
     FROM ${relation} GROUP BY ${target}`,
  );
  const small = await session.query(
    `SELECT CAST(cls AS VARCHAR) AS cls, n FROM ${classes} WHERE n - n_test - n_valid < 1 ORDER BY n, cls NULLS FIRST`,
  );
  if (small.length > 0) {
    const parts = config.valid > 0 ? "train, valid and test" : "train and test";
    const listed = small
      .slice(0, 5)
      .map((r) => `${r.cls === null ? "(null)" : `'${r.cls}'`} (${r.n} row${r.n === 1 ? "" : "s"})`);
    const more = small.length > 5 ? ` and ${small.length - 5} more` : "";
    const one = small.length === 1;
    throw invalidParam(
      `Cannot stratify on '${config.target}': ${one ? "class" : "classes"} ${listed.join(", ")}${more} ` +
        `${one ? "is" : "are"} too small to put a row in each of ${parts}. Merge or drop rare classes, ` +
        "lower --test/--valid, or use --strategy random",
    );
  }
  const c = (col: string) => `c.${sqlIdent(col)}`;
  return `SELECT k.* EXCLUDE (${KEY}, ${POS}), ${splitCase(POS, c("n_test"), c("n_valid"))} AS ${SPLIT_COLUMN}
    FROM (SELECT *, row_number() OVER (PARTITION BY ${target} ORDER BY ${KEY}, ${ROW_COLUMN}) AS ${POS} FROM (${keyed})) k
    JOIN ${classes} c ON k.${target} IS NOT DISTINCT FROM c.cls`;
}

// Groups get a seeded order (md5 of seed and value: portable across DuckDB versions) and go to
// the split their midpoint falls in on the cumulative row count.
async function groupSelect(
  session: DataSession,
  relation: string,
  numbered: string,
  config: SplitConfig,
  rowCount: number,
  helpers: string[],
): Promise<string> {
  const by = sqlIdent(config.by!);
  const groups = sqlIdent(`keel_groups_${randomUUID().replaceAll("-", "")}`);
  const text = `CASE WHEN g IS NULL THEN '' ELSE 'v' || CAST(g AS VARCHAR) END`;
  const testEnd = rowCount * config.test;
  const validEnd = rowCount * (config.test + config.valid);
  helpers.push(groups);
  await session.run(
    `CREATE TEMP TABLE ${groups} AS
     SELECT g, size, CASE WHEN mid <= ${testEnd} THEN 'test' WHEN mid <= ${validEnd} THEN 'valid' ELSE 'train' END AS part
     FROM (SELECT *, sum(size) OVER (ORDER BY gkey, g ROWS UNBOUNDED PRECEDING) - size / 2.0 AS mid
           FROM (SELECT g, size, md5(${sqlString(`${config.seed}:`)} || ${text}) AS gkey
                 FROM (SELECT ${by} AS g, count(*) AS size FROM ${relation} GROUP BY ${by})))`,
  );
  return `SELECT n.*, gr.part AS ${SPLIT_COLUMN} FROM (${numbered}) n
    JOIN ${groups} gr ON n.${by} IS NOT DISTINCT FROM gr.g`;
}
