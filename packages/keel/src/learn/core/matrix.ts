import { invalidParam } from "../../errors.js";

/**
 * A dense numeric feature matrix, column-major: `columns[j][i]` is row i of feature j.
 * NaN marks a missing value. Column-major matches DuckDB's output, so loading copies nothing.
 */
export interface Matrix {
  /** Number of rows (samples). */
  readonly nRows: number;
  /** Number of columns (features). */
  readonly nCols: number;
  /** Feature names, one per column. */
  readonly names: readonly string[];
  /** One Float64Array of length nRows per feature. */
  readonly columns: readonly Float64Array[];
}

/** Builds a {@link Matrix} from columns, checking that every column has the same length. */
export function matrixFromColumns(columns: readonly ArrayLike<number>[], names?: readonly string[]): Matrix {
  const nRows = columns[0]?.length ?? 0;
  const cols = columns.map((c, j) => {
    if (c.length !== nRows) {
      throw invalidParam(`Column ${names?.[j] ?? j} has ${c.length} rows but column 0 has ${nRows}`);
    }
    return c instanceof Float64Array ? c : Float64Array.from(c);
  });
  return { nRows, nCols: cols.length, names: defaultNames(cols.length, names), columns: cols };
}

/** Builds a {@link Matrix} from row arrays (convenient for tests and small inputs). */
export function matrixFromRows(rows: readonly (readonly number[])[], names?: readonly string[]): Matrix {
  const nCols = rows[0]?.length ?? names?.length ?? 0;
  const columns = Array.from({ length: nCols }, () => new Float64Array(rows.length));
  rows.forEach((row, i) => {
    if (row.length !== nCols) throw invalidParam(`Row ${i} has ${row.length} values but row 0 has ${nCols}`);
    for (let j = 0; j < nCols; j++) columns[j]![i] = row[j]!;
  });
  return { nRows: rows.length, nCols, names: defaultNames(nCols, names), columns };
}

/** A copy of the rows of `m` at `indices` (in that order). */
export function takeMatrixRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const columns = m.columns.map((col) => {
    const out = new Float64Array(indices.length);
    for (let i = 0; i < indices.length; i++) out[i] = col[indices[i]!]!;
    return out;
  });
  return { nRows: indices.length, nCols: m.nCols, names: m.names, columns };
}

/** Row-major copy of `m` (`out[i * nCols + j]`), for algorithms that scan rows (kNN, linear models). */
export function toRowMajor(m: Matrix): Float64Array {
  const out = new Float64Array(m.nRows * m.nCols);
  for (let j = 0; j < m.nCols; j++) {
    const col = m.columns[j]!;
    for (let i = 0; i < m.nRows; i++) out[i * m.nCols + j] = col[i]!;
  }
  return out;
}

/** True when any value of `m` is NaN. */
export function hasMissing(m: Matrix): boolean {
  for (const col of m.columns) for (let i = 0; i < col.length; i++) if (Number.isNaN(col[i]!)) return true;
  return false;
}

/**
 * Checks that `m` has at least one row and that its columns match the `expected` feature names
 * seen at fit time; the message names the first mismatch.
 */
export function checkMatrix(m: Matrix, expected?: readonly string[], who = "estimator"): void {
  if (m.nRows === 0) throw invalidParam(`${who} got an empty matrix (0 rows): pass at least one row`);
  if (expected === undefined) return;
  if (m.nCols !== expected.length) {
    throw invalidParam(
      `${who} was fitted on ${expected.length} features (${expected.join(", ")}) but got ${m.nCols} (${m.names.join(", ")})`,
    );
  }
}

function defaultNames(n: number, names?: readonly string[]): string[] {
  if (names && names.length !== n) throw invalidParam(`Got ${names.length} names for ${n} columns`);
  return names ? [...names] : Array.from({ length: n }, (_, j) => `x${j}`);
}

/**
 * Rejects NaN/Infinity with a message naming the column and row and the fix (impute first);
 * for learners whose tags say `allowNaN: false`.
 */
export function assertFinite(m: Matrix, who: string): void {
  for (let j = 0; j < m.nCols; j++) {
    const col = m.columns[j]!;
    for (let i = 0; i < col.length; i++) {
      if (!Number.isFinite(col[i]!)) {
        throw invalidParam(
          `${who} cannot handle missing or infinite values: column '${m.names[j]}' row ${i} is ${col[i]}; add a SimpleImputer before it or drop those rows`,
        );
      }
    }
  }
}

/** Checks that `X` has rows and that `y` has one value per row. */
export function checkXy(X: Matrix, y: ArrayLike<number>, who: string): void {
  if (X.nRows === 0) throw invalidParam(`${who} got no training rows: the data is empty`);
  if (y.length !== X.nRows) throw invalidParam(`${who}: X has ${X.nRows} rows but y has ${y.length} values`);
}
