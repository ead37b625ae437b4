import type { DataSession } from "../engine/duckdb-session.js";
import { sqlIdent } from "../engine/sql-text.js";
import type { ColumnProfile, DatasetProfile } from "../profile/dataset-profile.js";
import { profileTable } from "../profile/profile-table.js";
import type { ExpectationKind } from "./expectation-kinds.js";
import { logicalTypeOf } from "./logical-types.js";

/** Text columns with at most this many distinct values get an `in_set`. */
export const IN_SET_MAX_VALUES = 20;
/** `row_count_between` allows the observed count plus or minus this many percent. */
export const ROW_COUNT_TOLERANCE_PERCENT = 10;

/** One drafted expectation (arguments as they will be written). */
export interface DraftedExpectation {
  /** Expectation kind. */
  readonly kind: ExpectationKind;
  /** Arguments. */
  readonly args: Readonly<Record<string, unknown>>;
}

/** The expectations drafted for one column, with a one-line summary of what was observed. */
export interface DraftedColumn {
  /** Column name. */
  readonly name: string;
  /** What the data showed, e.g. `BIGINT, 0 nulls, 1,234 distinct`. */
  readonly summary: string;
  /** Its expectations, in file order. */
  readonly expectations: readonly DraftedExpectation[];
}

/** A drafted expectations file, before it is rendered as YAML. */
export interface ExpectationDraft {
  /** The data file it was drafted from. */
  readonly source: string;
  /** Rows observed. */
  readonly rowCount: number;
  /** Table-level expectations (row count). */
  readonly table: readonly DraftedExpectation[];
  /** Per-column expectations, in column order. */
  readonly columns: readonly DraftedColumn[];
}

/**
 * Drafts expectations that the data in `relation` satisfies, from its profile: existence and
 * type of every column; not_null with the observed non-null share rounded down a little;
 * unique where every value is distinct; in_set for text with at most {@link IN_SET_MAX_VALUES}
 * values; between with the observed range for numbers, dates and timestamps; and a row count
 * within {@link ROW_COUNT_TOLERANCE_PERCENT}% of the observed one.
 */
export async function draftExpectations(
  session: DataSession,
  relation: string,
  source: string,
): Promise<ExpectationDraft> {
  const profile = await profileTable(session, relation);
  const facts = await exactFacts(session, relation, profile);
  const n = profile.rowCount;
  const columns = profile.columns.map((c): DraftedColumn => {
    const logical = logicalTypeOf(c.type);
    const out: DraftedExpectation[] = [{ kind: "column_exists", args: { column: c.name } }];
    if (logical) out.push({ kind: "column_type", args: { column: c.name, type: logical } });
    const share = n === 0 ? 1 : c.count / n;
    const mostly = mostlyBelow(share);
    if (share === 1) out.push({ kind: "not_null", args: { column: c.name } });
    else if (mostly > 0) out.push({ kind: "not_null", args: { column: c.name, mostly } });
    if (facts.unique.has(c.name)) out.push({ kind: "unique", args: { column: c.name } });
    const values = facts.values.get(c.name);
    if (values) out.push({ kind: "in_set", args: { column: c.name, values } });
    const range = facts.ranges.get(c.name) ?? numericRange(c);
    if (range) out.push({ kind: "between", args: { column: c.name, ...range } });
    return { name: c.name, summary: summary(c, n), expectations: out };
  });
  const table: DraftedExpectation[] = [
    {
      kind: "row_count_between",
      // Integer arithmetic first: 3e6 * 1.1 in floating point would round up to 3,300,001.
      args: {
        min: Math.floor((n * (100 - ROW_COUNT_TOLERANCE_PERCENT)) / 100),
        max: Math.ceil((n * (100 + ROW_COUNT_TOLERANCE_PERCENT)) / 100),
      },
    },
  ];
  return { source, rowCount: n, table, columns };
}

/**
 * The observed non-null share rounded down to whole percents, minus one percent of slack, so a
 * slightly dirtier next batch still passes (0 means "no useful bound").
 */
export function mostlyBelow(share: number): number {
  return Math.max(0, (Math.floor(share * 100) - 1) / 100);
}

/** What the profile cannot give exactly: every text value, exact uniqueness, datetime ranges. */
interface ExactFacts {
  /** Columns whose non-null values are all distinct. */
  readonly unique: ReadonlySet<string>;
  /** Sorted values of low-cardinality text columns. */
  readonly values: ReadonlyMap<string, string[]>;
  /** Date and timestamp ranges as DuckDB prints them (full precision, unlike a JS Date). */
  readonly ranges: ReadonlyMap<string, { min: string; max: string }>;
}

async function exactFacts(
  session: DataSession,
  relation: string,
  profile: DatasetProfile,
): Promise<ExactFacts> {
  const unique = new Set<string>();
  const values = new Map<string, string[]>();
  const ranges = new Map<string, { min: string; max: string }>();
  for (const c of profile.columns) {
    const logical = logicalTypeOf(c.type);
    const ident = sqlIdent(c.name);
    // Float columns are often all-distinct by chance; a unique rule on them is noise.
    if (
      c.count >= 2 &&
      logical !== undefined &&
      logical !== "float" &&
      logical !== "boolean" &&
      c.distinct >= c.count
    ) {
      if (c.distinctExact || (await allDistinct(session, relation, ident))) unique.add(c.name);
    }
    if (logical === "string" && c.distinct >= 1 && c.distinct <= IN_SET_MAX_VALUES) {
      const rows = await session.query(
        `SELECT DISTINCT CAST(${ident} AS VARCHAR) AS v FROM ${relation} WHERE ${ident} IS NOT NULL ORDER BY v`,
      );
      values.set(
        c.name,
        rows.map((r) => String(r.v)),
      );
    }
    if ((logical === "date" || logical === "timestamp") && c.count > 0) {
      const [row] = await session.query(
        `SELECT CAST(min(${ident}) AS VARCHAR) AS lo, CAST(max(${ident}) AS VARCHAR) AS hi FROM ${relation}`,
      );
      ranges.set(c.name, { min: String(row?.lo), max: String(row?.hi) });
    }
  }
  return { unique, values, ranges };
}

async function allDistinct(session: DataSession, relation: string, ident: string): Promise<boolean> {
  const [row] = await session.query(
    `SELECT count(DISTINCT ${ident}) = count(${ident}) AS ok FROM ${relation}`,
  );
  return row?.ok === true;
}

// Numeric bounds only when both ends are plain numbers (huge integers would lose digits).
function numericRange(c: ColumnProfile): { min: number; max: number } | undefined {
  const logical = logicalTypeOf(c.type);
  if (logical !== "integer" && logical !== "float") return undefined;
  const { min, max } = c;
  if (typeof min !== "number" || typeof max !== "number") return undefined;
  if (logical === "integer" && !(Number.isSafeInteger(min) && Number.isSafeInteger(max))) return undefined;
  return { min, max };
}

function summary(c: ColumnProfile, rows: number): string {
  const nulls =
    c.missing === 0
      ? "no nulls"
      : `${c.missing.toLocaleString("en-US")} nulls (${percent(c.missing / rows)})`;
  const distinct = `${c.distinctExact ? "" : "~"}${c.distinct.toLocaleString("en-US")} distinct`;
  return `${c.type}, ${nulls}, ${distinct}`;
}

function percent(share: number): string {
  return `${Number((share * 100).toPrecision(3))}%`;
}
