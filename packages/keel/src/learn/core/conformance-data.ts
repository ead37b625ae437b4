import { type Matrix, matrixFromColumns } from "./matrix.js";
import { Rng } from "./random.js";
import { numericColumn, stringColumn, type Table, tableOf } from "./table.js";
import type { EstimatorTags } from "./tags.js";

/** Small seeded datasets the conformance suite fits every learner on. */
export interface ConformanceData {
  /** Features (for classifiers and regressors). */
  readonly X: Matrix;
  /** Class indices (classifiers) or targets (regressors); absent for transformers. */
  readonly y?: Int32Array | Float64Array;
  /** Input table (transformers). */
  readonly table?: Table;
}

/** Three Gaussian blobs in 4 dimensions, 90 rows, classes 0..2 (separable but not trivially). */
export function blobs(seed = 0, nRows = 90, nCols = 4, nClasses = 3): { X: Matrix; y: Int32Array } {
  const rng = new Rng(seed);
  const y = new Int32Array(nRows);
  const cols = Array.from({ length: nCols }, () => new Float64Array(nRows));
  for (let i = 0; i < nRows; i++) {
    const k = i % nClasses;
    y[i] = k;
    for (let j = 0; j < nCols; j++) cols[j]![i] = (j % nClasses === k ? 2 : 0) + rng.normal();
  }
  return { X: matrixFromColumns(cols), y };
}

/** y = X·w + 1 + noise(0.1), 80 rows x 3 features. */
export function linearData(seed = 0, nRows = 80): { X: Matrix; y: Float64Array } {
  const rng = new Rng(seed);
  const w = [1.5, -2, 0.5];
  const cols = w.map(() => new Float64Array(nRows));
  const y = new Float64Array(nRows);
  for (let i = 0; i < nRows; i++) {
    let v = 1;
    w.forEach((wj, j) => {
      const x = rng.normal();
      cols[j]![i] = x;
      v += wj * x;
    });
    y[i] = v + 0.1 * rng.normal();
  }
  return { X: matrixFromColumns(cols), y };
}

/** A table of the kinds a transformer declares in its `input` tag, with missing values if allowed. */
export function transformerTable(tags: EstimatorTags, seed = 0, nRows = 40): Table {
  const rng = new Rng(seed);
  const input = tags.input ?? "numeric";
  const columns = [];
  if (input === "numeric" || input === "mixed") {
    for (const name of ["a", "b"]) {
      const v = new Float64Array(nRows);
      for (let i = 0; i < nRows; i++)
        v[i] = tags.allowNaN && i % 7 === 3 ? Number.NaN : 10 * rng.normal() + 5;
      columns.push(numericColumn(name, v));
    }
  }
  if (input === "categorical" || input === "mixed") {
    const levels = ["red", "green", "blue"];
    columns.push(
      stringColumn(
        "color",
        Array.from({ length: nRows }, (_, i) => (tags.allowNaN && i % 9 === 4 ? null : levels[rng.int(3)]!)),
      ),
    );
  }
  if (input === "datetime" || input === "mixed") {
    const start = Date.UTC(2015, 0, 1);
    const v = new Float64Array(nRows);
    for (let i = 0; i < nRows; i++) v[i] = start + rng.int(365 * 24) * 3_600_000;
    columns.push(numericColumn("when", v, "datetime"));
  }
  return tableOf(columns);
}

/** The dataset for a learner of these tags. */
export function conformanceData(tags: EstimatorTags, seed = 0): ConformanceData {
  if (tags.kind === "classifier") return blobs(seed);
  if (tags.kind === "regressor") return linearData(seed);
  const table = transformerTable(tags, seed);
  return { X: matrixFromColumns([]), table };
}
