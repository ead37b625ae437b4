/**
 * Runs an exported graph with onnxruntime-node on a {@link Table}: the Keel-side way to score an
 * ONNX model (parity checks, `keel evaluate` on packages). Tables are encoded with the same
 * tensor conventions the exporter declares (see symbolic-table.ts).
 */
import * as ort from "onnxruntime-node";
import { getColumn, type Table } from "../core/table.js";
import type { OnnxInput } from "./export-onnx.js";

/** Outputs of one ONNX run (whichever the graph has). */
export interface OnnxOutputs {
  /** Class index per row. */
  readonly label?: Int32Array;
  /** Row-major class probabilities [N, C]. */
  readonly probabilities?: Float32Array;
  /** Predicted value per row. */
  readonly variable?: Float32Array;
  /** Transformed numeric features [N, F] (transformer-only exports). */
  readonly features?: Float32Array;
  /** Transformed string columns [N, S] (transformer-only exports). */
  readonly strings?: string[];
}

/** A session over one exported graph. */
export class OnnxPredictor {
  readonly #session: ort.InferenceSession;
  readonly #inputs: readonly OnnxInput[];

  private constructor(session: ort.InferenceSession, inputs: readonly OnnxInput[]) {
    this.#session = session;
    this.#inputs = inputs;
  }

  /** Opens a session on model bytes whose graph inputs are `inputs`. */
  static async create(bytes: Uint8Array, inputs: readonly OnnxInput[]): Promise<OnnxPredictor> {
    return new OnnxPredictor(await ort.InferenceSession.create(bytes), inputs);
  }

  /** Runs the graph on `table` (which must hold every input column). */
  async run(table: Table): Promise<OnnxOutputs> {
    const n = table.rowCount;
    const feeds: Record<string, ort.Tensor> = {};
    for (const inp of this.#inputs) {
      const col = getColumn(table, inp.name);
      if (col.kind === "string") {
        feeds[inp.name] = new ort.Tensor(
          "string",
          col.values.map((v) => v ?? ""),
          [n, 1],
        );
      } else if (inp.kind === "datetime") {
        feeds[inp.name] = new ort.Tensor("float64", Float64Array.from(col.values), [n, 1]);
      } else {
        feeds[inp.name] = new ort.Tensor("float32", Float32Array.from(col.values), [n, 1]);
      }
    }
    const out = await this.#session.run(feeds);
    const result: { -readonly [K in keyof OnnxOutputs]: OnnxOutputs[K] } = {};
    if (out.label) result.label = Int32Array.from(out.label.data as BigInt64Array, (v) => Number(v));
    if (out.probabilities) result.probabilities = out.probabilities.data as Float32Array;
    if (out.variable) result.variable = out.variable.data as Float32Array;
    if (out.features) result.features = out.features.data as Float32Array;
    if (out.strings) result.strings = out.strings.data as string[];
    return result;
  }

  /** Frees the session. */
  async release(): Promise<void> {
    await this.#session.release();
  }
}

/** One-shot: create a session, run it on `table`, release it. */
export async function runOnnx(
  bytes: Uint8Array,
  inputs: readonly OnnxInput[],
  table: Table,
): Promise<OnnxOutputs> {
  const p = await OnnxPredictor.create(bytes, inputs);
  try {
    return await p.run(table);
  } finally {
    await p.release();
  }
}
