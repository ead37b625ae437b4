/**
 * ONNX parity: exports a fitted estimator or pipeline, runs the graph with ONNX Runtime and
 * compares with the TypeScript predictions. Labels must be identical; probabilities, values and
 * transformed features must agree within a tolerance (float32 inference vs float64 TypeScript).
 */
import type { AnyEstimator } from "../core/estimator.js";
import { type Table, tableToMatrix } from "../core/table.js";
import { exportOnnx, type OnnxInput, onnxInputsOf } from "./export-onnx.js";
import { runOnnx } from "./onnx-predict.js";

/** Default absolute tolerance for probabilities (relative, for values above 1). */
export const PARITY_TOLERANCE = 1e-5;

/** What a parity run found. */
export interface ParityReport {
  /** Problems found; empty when ONNX Runtime agrees with TypeScript. */
  readonly problems: string[];
  /** Rows compared. */
  readonly nRows: number;
  /** Largest difference seen in probabilities / values / features. */
  readonly maxDiff: number;
  /** Rows whose labels differ only because their two best classes tie within the tolerance. */
  readonly ties: number;
  /** The serialised model that was checked. */
  readonly bytes: Uint8Array;
}

type Dynamic = {
  predict?(x: unknown): ArrayLike<number>;
  predictProba?(x: unknown): { data: Float64Array; nClasses: number };
  transform?(t: Table): Table;
};

/**
 * Compares ONNX Runtime with TypeScript on `table` (raw columns, as the model was fitted on).
 * `model` is a fitted pipeline (Table in) or a single estimator (Matrix in, built from `table`).
 */
export async function onnxParity(
  model: AnyEstimator,
  table: Table,
  options: { inputs?: readonly OnnxInput[]; tolerance?: number } = {},
): Promise<ParityReport> {
  const tol = options.tolerance ?? PARITY_TOLERANCE;
  const inputs = options.inputs ?? onnxInputsOf(table);
  const exported = exportOnnx(model, { inputs });
  const onnx = await runOnnx(exported.bytes, inputs, table);
  const d = model as unknown as Dynamic;
  // A pipeline or transformer takes the table; a bare estimator takes its matrix.
  const x = model.typeName === "Pipeline" || model.tags.kind === "transformer" ? table : tableToMatrix(table);
  const problems: string[] = [];
  let maxDiff = 0;
  let ties = 0;
  const compare = (what: string, ts: ArrayLike<number>, ox: ArrayLike<number> | undefined) => {
    if (!ox || ox.length !== ts.length) {
      problems.push(`${what}: ONNX gave ${ox?.length ?? "no"} values, TypeScript ${ts.length}`);
      return;
    }
    let bad = 0;
    let first = -1;
    for (let i = 0; i < ts.length; i++) {
      const a = ts[i]!;
      const b = ox[i]!;
      if (Number.isNaN(a) && Number.isNaN(b)) continue;
      const diff = Math.abs(a - b);
      if (diff > maxDiff || Number.isNaN(diff)) maxDiff = Number.isNaN(diff) ? Infinity : diff;
      if (!(diff <= tol * Math.max(1, Math.abs(a)))) {
        bad++;
        if (first < 0) first = i;
      }
    }
    if (bad > 0)
      problems.push(
        `${what}: ${bad} of ${ts.length} differ by more than ${tol} (first at ${first}: TypeScript ${ts[first]}, ONNX ${ox[first]})`,
      );
  };
  if (exported.task === "transform") {
    const out = d.transform!(table);
    const numeric = out.columns.filter((c) => c.kind !== "string");
    const n = table.rowCount;
    const ts = new Float64Array(n * numeric.length);
    numeric.forEach((c, j) => {
      for (let i = 0; i < n; i++) ts[i * numeric.length + j] = c.values[i] as number;
    });
    if (numeric.length > 0) compare("features", ts, onnx.features);
    const strings = out.columns.filter((c) => c.kind === "string");
    strings.forEach((c, j) => {
      for (let i = 0; i < n; i++) {
        const o = onnx.strings?.[i * strings.length + j];
        if ((c.values[i] ?? "") !== o) {
          problems.push(
            `string column '${c.name}' row ${i}: TypeScript ${String(c.values[i])}, ONNX ${String(o)}`,
          );
          break;
        }
      }
    });
  } else if (exported.task === "regression") {
    compare("predict", d.predict!(x), onnx.variable);
  } else {
    const labels = d.predict!(x);
    const proba = d.predictProba!(x);
    const ol = onnx.label;
    // A row whose two best classes tie (within the probability tolerance) may be broken either way
    // by float32 vs float64 sums (forests average many equal leaf fractions); any other row must
    // get the same label.
    let mismatched = 0;
    for (let i = 0; i < labels.length; i++) {
      if (ol && labels[i] === ol[i]) continue;
      if (ol && isTie(proba.data, proba.nClasses, i, labels[i]!, ol[i]!, tol)) ties++;
      else mismatched++;
    }
    if (mismatched > 0)
      problems.push(`labels: ${mismatched} of ${labels.length} differ between TypeScript and ONNX`);
    compare("probabilities", proba.data, onnx.probabilities);
  }
  return { problems, nRows: table.rowCount, maxDiff, ties, bytes: exported.bytes };
}

/** True when, in row `i`, classes `a` and `b` have probabilities within `tol` of each other. */
function isTie(
  data: ArrayLike<number>,
  nClasses: number,
  i: number,
  a: number,
  b: number,
  tol: number,
): boolean {
  return Math.abs(data[i * nClasses + a]! - data[i * nClasses + b]!) <= tol;
}
