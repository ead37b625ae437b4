import type { DuckDBVector } from "@duckdb/node-api";
import { type ColumnKind, columnKind, numericExpression } from "./column-kind.js";
import type { DataSession } from "./duckdb-session.js";
import { sqlIdent } from "./sql-text.js";

/** A numeric-like column: numbers, booleans (0/1) or datetimes (epoch ms); NaN marks null. */
export interface NumericColumn {
  /** Column name. */
  readonly name: string;
  /** DuckDB type of the source column. */
  readonly type: string;
  /** How the values were converted. */
  readonly kind: Exclude<ColumnKind, "string">;
  /** One value per row; NaN for null. */
  readonly values: Float64Array;
}

/** A text column (and any type without a numeric reading, cast to text); null marks null. */
export interface StringColumn {
  /** Column name. */
  readonly name: string;
  /** DuckDB type of the source column. */
  readonly type: string;
  /** Always "string". */
  readonly kind: "string";
  /** One value per row. */
  readonly values: (string | null)[];
}

/** One column of a {@link TypedColumns} result. */
export type TypedColumn = NumericColumn | StringColumn;

/** A query result as columns: what learners and drift statistics consume. */
export interface TypedColumns {
  /** Number of rows. */
  readonly rowCount: number;
  /** Columns in query order. */
  readonly columns: readonly TypedColumn[];
}

/**
 * Streams `sql` chunk by chunk into typed columns. DuckDB does the conversions (one CAST per
 * column) so JavaScript only copies doubles and strings.
 */
export async function readTypedColumns(session: DataSession, sql: string): Promise<TypedColumns> {
  const described = await session.describe(sql);
  const kinds = described.map((c) => columnKind(c.type));
  const projection = described.map((c, i) => {
    const kind = kinds[i] ?? "string";
    const expr = numericExpression(sqlIdent(c.name), kind, c.type);
    // NULL as NaN inside DuckDB: a vector without nulls has no validity mask, and reading its
    // items then skips the driver's per-item BigInt validity test (several times faster).
    return kind === "string" ? expr : `coalesce(${expr}, 'NaN'::DOUBLE)`;
  });
  const result = await session.connection.stream(`SELECT ${projection.join(", ")} FROM (${sql}) AS keel_q`);
  const numbers = kinds.map((k) => (k === "string" ? null : new GrowableFloat64()));
  const strings = kinds.map((k) => (k === "string" ? ([] as (string | null)[]) : null));
  let rowCount = 0;
  for (
    let chunk = await result.fetchChunk();
    chunk !== null && chunk.rowCount > 0;
    chunk = await result.fetchChunk()
  ) {
    const n = chunk.rowCount;
    for (let c = 0; c < kinds.length; c++) {
      const vector = chunk.getColumnVector(c) as DuckDBVector<number | string>;
      const numeric = numbers[c];
      if (numeric) numeric.appendVector(vector as DuckDBVector<number>, n);
      else {
        const target = strings[c] as (string | null)[];
        for (let r = 0; r < n; r++) target.push(vector.getItem(r) as string | null);
      }
    }
    rowCount += n;
  }
  const columns = described.map((c, i): TypedColumn => {
    const kind = kinds[i] ?? "string";
    const numeric = numbers[i];
    return numeric && kind !== "string"
      ? { name: c.name, type: c.type, kind, values: numeric.toArray() }
      : { name: c.name, type: c.type, kind: "string", values: strings[i] ?? [] };
  });
  return { rowCount, columns };
}

// A Float64Array that doubles its capacity, so unknown-length results need no second pass.
class GrowableFloat64 {
  #data = new Float64Array(4096);
  #length = 0;

  appendVector(vector: DuckDBVector<number>, n: number): void {
    if (this.#length + n > this.#data.length) {
      const next = new Float64Array(Math.max(this.#data.length * 2, this.#length + n));
      next.set(this.#data.subarray(0, this.#length));
      this.#data = next;
    }
    const data = this.#data;
    const base = this.#length;
    for (let r = 0; r < n; r++) data[base + r] = vector.getItem(r) ?? Number.NaN;
    this.#length += n;
  }

  toArray(): Float64Array {
    return this.#data.slice(0, this.#length);
  }
}

/**
 * The first column of `sql` (a DOUBLE column) as doubles, null as NaN. The query runs to completion on DuckDB's
 * own threads before anything is copied (a materialized result), so a caller can start the next
 * read while it works on the previous column in JavaScript.
 */
export async function readDoubleColumn(session: DataSession, sql: string): Promise<Float64Array> {
  const result = await session.connection.run(sql);
  const out = new Float64Array(result.rowCount);
  let at = 0;
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    const vector = chunk.getColumnVector(0) as DuckDBVector<number>;
    const n = chunk.rowCount;
    for (let r = 0; r < n; r++) out[at + r] = vector.getItem(r) ?? Number.NaN;
    at += n;
  }
  return out;
}
