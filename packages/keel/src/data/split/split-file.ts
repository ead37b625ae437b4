import { randomUUID } from "node:crypto";
import { invalidParam } from "../../errors.js";
import type { ColumnInfo, DataSession, RelationOptions } from "../engine/duckdb-session.js";
import { sqlIdent } from "../engine/sql-text.js";
import { assignSplits, SPLIT_COLUMN } from "./split-assignment.js";
import { type TargetBalance, targetBalance } from "./split-balance.js";
import {
  checkSplitConfig,
  type SplitConfig,
  type SplitName,
  type SplitStrategy,
  splitNames,
} from "./split-config.js";
import { writeSplits } from "./write-splits.js";

/** One written part of a split. */
export interface SplitPart {
  /** train, valid or test. */
  readonly name: SplitName;
  /** The Parquet file. */
  readonly path: string;
  /** Rows in it. */
  readonly rows: number;
  /** rows / all rows. */
  readonly share: number;
  /** sha256 of the file. */
  readonly sha256: string;
  /** Distinct values of `by` in it (group strategy). */
  readonly groups?: number;
  /** Target balance (when a target is given). */
  readonly balance?: TargetBalance;
}

/** What `keel data split` did. */
export interface SplitReport {
  /** The input file. */
  readonly input: string;
  /** The output folder. */
  readonly outDir: string;
  /** Strategy used. */
  readonly strategy: SplitStrategy;
  /** Seed used. */
  readonly seed: number;
  /** Target column, if any. */
  readonly target: string | null;
  /** Time or group column, if any. */
  readonly by: string | null;
  /** Requested test share. */
  readonly test: number;
  /** Requested valid share. */
  readonly valid: number;
  /** Rows in the input. */
  readonly rows: number;
  /** The parts, in train, valid, test order. */
  readonly parts: readonly SplitPart[];
  /** True when a valid.parquet from an earlier split was removed. */
  readonly removedStaleValid: boolean;
}

/**
 * Splits the table in `input` into train/test (and valid) Parquet files in `outDir`, in SQL and
 * reproducibly: the same data, config and seed give byte-identical files.
 * @param read - how to read `input` (format, type overrides).
 * @throws KeelError INVALID_PARAMETER_VALUE for a bad config, an unknown column, an empty input,
 * a class too small to stratify, or a split that would get no rows.
 */
export async function splitFile(
  session: DataSession,
  input: string,
  outDir: string,
  config: SplitConfig,
  read: RelationOptions = {},
): Promise<SplitReport> {
  checkSplitConfig(config);
  const relation = await session.relationFrom(input, read);
  const columns = await session.describe(relation);
  const target =
    config.target === undefined ? undefined : columnOf(columns, config.target, "--target", input);
  if (config.by !== undefined) columnOf(columns, config.by, "--by", input);
  const [count] = await session.query(`SELECT count(*) AS n FROM ${relation}`);
  const rows = Number(count?.n ?? 0);
  if (rows === 0) throw invalidParam(`${input}: has no rows, nothing to split`);

  const table = sqlIdent(`keel_split_${randomUUID().replaceAll("-", "")}`);
  const created: string[] = [];
  try {
    await assignSplits(session, relation, table, config, rows, created);
    const names = splitNames(config);
    const sizes = await partSizes(session, table, config);
    for (const name of names) {
      if ((sizes.rows[name] ?? 0) === 0) throw emptySplit(name, rows, config, input);
    }
    const balance = target ? await targetBalance(session, table, target.name, target.type, sizes.rows) : {};
    const { files, removedStale } = await writeSplits(session, table, names, outDir);
    const parts = files.map((f): SplitPart => {
      const n = sizes.rows[f.name] ?? 0;
      return {
        name: f.name,
        path: f.path,
        rows: n,
        share: n / rows,
        sha256: f.sha256,
        ...(config.strategy === "group" ? { groups: sizes.groups[f.name] ?? 0 } : {}),
        ...(balance[f.name] ? { balance: balance[f.name] } : {}),
      };
    });
    return {
      input,
      outDir,
      strategy: config.strategy,
      seed: config.seed,
      target: config.target ?? null,
      by: config.by ?? null,
      test: config.test,
      valid: config.valid,
      rows,
      parts,
      removedStaleValid: removedStale,
    };
  } finally {
    for (const name of created) await session.run(`DROP TABLE IF EXISTS ${name}`);
  }
}

function columnOf(columns: readonly ColumnInfo[], name: string, flag: string, input: string): ColumnInfo {
  const col = columns.find((c) => c.name === name);
  if (!col) {
    throw invalidParam(
      `${input}: unknown ${flag} column '${name}' (columns: ${columns.map((c) => c.name).join(", ")})`,
    );
  }
  return col;
}

// Rows per split, and for group splits the number of distinct groups (null counts as one).
async function partSizes(
  session: DataSession,
  table: string,
  config: SplitConfig,
): Promise<{ rows: Partial<Record<SplitName, number>>; groups: Partial<Record<SplitName, number>> }> {
  const by = config.by === undefined ? undefined : sqlIdent(config.by);
  const groups = by ? `, count(DISTINCT ${by}) + max(CASE WHEN ${by} IS NULL THEN 1 ELSE 0 END) AS g` : "";
  const result = await session.query(
    `SELECT ${SPLIT_COLUMN} AS part, count(*) AS n${groups} FROM ${table} GROUP BY ALL`,
  );
  return {
    rows: Object.fromEntries(result.map((r) => [r.part, Number(r.n)])),
    groups: Object.fromEntries(result.map((r) => [r.part, Number(r.g ?? 0)])),
  };
}

function emptySplit(name: SplitName, rows: number, config: SplitConfig, input: string) {
  if (config.strategy === "group") {
    return invalidParam(
      `${input}: the group split put no rows in ${name}: the values of '${config.by}' form too few or too uneven ` +
        "groups for these shares; group by a column with more, smaller groups or raise --test/--valid",
    );
  }
  const share =
    name === "test" ? `--test ${config.test}` : name === "valid" ? `--valid ${config.valid}` : "the shares";
  return invalidParam(`${input}: ${rows} rows are too few: ${share} leaves no rows for ${name}`);
}
