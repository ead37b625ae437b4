/**
 * Comparing two versions of a table with DuckDB, straight from their cache objects: schema
 * changes, row counts, rows added/removed/changed by a key column (or, without a key, rows added
 * and removed as multisets of whole rows), and per-column statistic deltas from the profiler.
 */
import { invalidParam } from "../../errors.js";
import type { DataFormat } from "../engine/data-format.js";
import type { ColumnInfo, DataSession, PlainRow } from "../engine/duckdb-session.js";
import { sqlIdent } from "../engine/sql-text.js";
import { type ProfileSummary, summarizeProfile } from "../profile/dataset-profile.js";
import { profileTable } from "../profile/profile-table.js";

/** Rows shown as examples of each kind of change. */
const EXAMPLES = 5;

/** One side of a table diff: a cached object and how to read it. */
export interface TableSide {
  /** `name@version`, for messages. */
  label: string;
  path: string;
  format: DataFormat;
}

/** A statistic before and after. */
export interface Delta {
  a: number | null;
  b: number | null;
  /** b - a, null when either is. */
  delta: number | null;
}

/** Row-level changes. */
export type RowChanges =
  | {
      by: "key";
      key: string;
      added: number;
      removed: number;
      changed: number;
      unchanged: number;
      examples: { added: unknown[]; removed: unknown[]; changed: unknown[] };
    }
  | {
      by: "row-hash";
      /** Columns compared (those both versions have). */
      columns: string[];
      added: number;
      removed: number;
      unchanged: number;
      examples: { added: PlainRow[]; removed: PlainRow[] };
    };

/** The difference between two tables. */
export interface TableDiff {
  rows: Delta;
  schema: {
    added: ColumnInfo[];
    removed: ColumnInfo[];
    retyped: { name: string; from: string; to: string }[];
  };
  rowChanges: RowChanges;
  /** Per column both versions have: null share, distinct count and mean. */
  columns: { name: string; nullShare: Delta; distinct: Delta; mean: Delta }[];
}

/** Compare table `a` (old) with `b` (new); `key` names a unique key column both have. */
export async function diffTables(
  session: DataSession,
  a: TableSide,
  b: TableSide,
  key?: string,
): Promise<TableDiff> {
  const relA = await session.relationFrom(a.path, { format: a.format });
  const relB = await session.relationFrom(b.path, { format: b.format });
  const colsA = await session.describe(relA);
  const colsB = await session.describe(relB);
  const typeA = new Map(colsA.map((c) => [c.name, c.type]));
  const typeB = new Map(colsB.map((c) => [c.name, c.type]));
  const common = colsB.filter((c) => typeA.has(c.name)).map((c) => c.name);
  const [profA, profB] = [
    summarizeProfile(await profileTable(session, relA)),
    summarizeProfile(await profileTable(session, relB)),
  ];
  const rowChanges =
    key === undefined
      ? await rowHashChanges(session, relA, relB, common)
      : await keyChanges(
          session,
          { a, rel: relA, types: typeA },
          { b, rel: relB, types: typeB },
          common,
          key,
        );
  return {
    rows: delta(profA.rowCount, profB.rowCount),
    schema: {
      added: colsB.filter((c) => !typeA.has(c.name)),
      removed: colsA.filter((c) => !typeB.has(c.name)),
      retyped: common
        .filter((n) => typeA.get(n) !== typeB.get(n))
        .map((n) => ({ name: n, from: typeA.get(n) as string, to: typeB.get(n) as string })),
    },
    rowChanges,
    columns: common.map((name) => columnDelta(name, profA, profB)),
  };
}

function delta(a: number | null, b: number | null): Delta {
  return { a, b, delta: a === null || b === null ? null : b - a };
}

function columnDelta(name: string, a: ProfileSummary, b: ProfileSummary) {
  const ca = a.columns.find((c) => c.name === name);
  const cb = b.columns.find((c) => c.name === name);
  const share = (p: ProfileSummary, c: typeof ca) =>
    c === undefined ? null : p.rowCount === 0 ? 0 : c.missing / p.rowCount;
  return {
    name,
    nullShare: delta(share(a, ca), share(b, cb)),
    distinct: delta(ca?.distinct ?? null, cb?.distinct ?? null),
    mean: delta(ca?.mean ?? null, cb?.mean ?? null),
  };
}

/** Whole rows (over the shared columns) present in one version and not the other, as multisets. */
async function rowHashChanges(
  session: DataSession,
  relA: string,
  relB: string,
  common: string[],
): Promise<RowChanges> {
  if (common.length === 0)
    throw invalidParam("The two versions share no column, so their rows cannot be compared.");
  const cols = common.map(sqlIdent).join(", ");
  const onlyIn = (x: string, y: string) => `(SELECT ${cols} FROM ${x} EXCEPT ALL SELECT ${cols} FROM ${y})`;
  const [counts] = await session.query(
    `SELECT (SELECT count(*) FROM ${onlyIn(relB, relA)}) AS added, (SELECT count(*) FROM ${onlyIn(relA, relB)}) AS removed, (SELECT count(*) FROM ${relB}) AS rows_b`,
  );
  const added = Number(counts?.added ?? 0);
  return {
    by: "row-hash",
    columns: common,
    added,
    removed: Number(counts?.removed ?? 0),
    unchanged: Number(counts?.rows_b ?? 0) - added,
    examples: {
      added: await session.query(`SELECT * FROM ${onlyIn(relB, relA)} LIMIT ${EXAMPLES}`),
      removed: await session.query(`SELECT * FROM ${onlyIn(relA, relB)} LIMIT ${EXAMPLES}`),
    },
  };
}

interface KeyedSide {
  rel: string;
  types: Map<string, string>;
}

/** Rows matched by a unique key: keys only in b (added), only in a (removed), in both with other values (changed). */
async function keyChanges(
  session: DataSession,
  a: KeyedSide & { a: TableSide },
  b: KeyedSide & { b: TableSide },
  common: string[],
  key: string,
): Promise<RowChanges> {
  for (const [side, label] of [
    [a, a.a.label],
    [b, b.b.label],
  ] as const) {
    if (!side.types.has(key)) {
      throw invalidParam(
        `Unknown key column '${key}' in ${label}; its columns are: ${[...side.types.keys()].join(", ")}.`,
      );
    }
    const [dup] = await session.query(
      `SELECT count(*) - count(DISTINCT ${sqlIdent(key)}) AS dups, count(*) - count(${sqlIdent(key)}) AS nulls FROM ${side.rel}`,
    );
    if (Number(dup?.dups ?? 0) > 0 || Number(dup?.nulls ?? 0) > 0) {
      throw invalidParam(
        `Key column '${key}' is not a unique, non-null key in ${label} (${Number(dup?.dups ?? 0)} duplicate or null values); pick another --key, or omit --key to compare whole rows.`,
      );
    }
  }
  const k = sqlIdent(key);
  // Columns whose type changed are compared as text, so a retyped column alone does not fail the query.
  const others = common.filter((c) => c !== key);
  const value = (side: "x" | "y", c: string) =>
    a.types.get(c) === b.types.get(c) ? `${side}.${sqlIdent(c)}` : `CAST(${side}.${sqlIdent(c)} AS VARCHAR)`;
  const differs =
    others.length === 0
      ? "FALSE"
      : `(${others.map((c) => value("x", c)).join(", ")}) IS DISTINCT FROM (${others.map((c) => value("y", c)).join(", ")})`;
  const added = `SELECT y.${k} AS key FROM ${b.rel} y ANTI JOIN ${a.rel} x ON x.${k} = y.${k}`;
  const removed = `SELECT x.${k} AS key FROM ${a.rel} x ANTI JOIN ${b.rel} y ON x.${k} = y.${k}`;
  const changed = `SELECT y.${k} AS key FROM ${a.rel} x JOIN ${b.rel} y ON x.${k} = y.${k} WHERE ${differs}`;
  const both = `SELECT count(*) AS n FROM ${a.rel} x JOIN ${b.rel} y ON x.${k} = y.${k}`;
  const count = async (q: string) =>
    Number((await session.query(`SELECT count(*) AS n FROM (${q})`))[0]?.n ?? 0);
  const keys = async (q: string) =>
    (await session.query(`${q} ORDER BY key LIMIT ${EXAMPLES}`)).map((r) => r.key);
  const changedCount = await count(changed);
  const matched = Number((await session.query(both))[0]?.n ?? 0);
  return {
    by: "key",
    key,
    added: await count(added),
    removed: await count(removed),
    changed: changedCount,
    unchanged: matched - changedCount,
    examples: { added: await keys(added), removed: await keys(removed), changed: await keys(changed) },
  };
}
