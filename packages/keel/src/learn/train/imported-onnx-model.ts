/**
 * The pipeline entry of a model package imported from a foreign ONNX file (e.g. skl2onnx): the
 * graph is the model, there is no TypeScript form. Registered so that loadModelPackage can read
 * such packages; predicting goes through ONNX Runtime (`keel evaluate`, @keel/runtime).
 */
import { z } from "zod";
import { KeelError } from "../../errors.js";
import { Estimator } from "../core/estimator.js";
import { registerEstimators } from "../core/registry.js";
import type { EstimatorTags } from "../core/tags.js";

/** Params of {@link ImportedOnnxModel}. */
export interface ImportedOnnxModelParams {
  /** File name the graph was imported from. */
  readonly source: string;
  /** Producer recorded in the graph (e.g. "skl2onnx 1.16"). */
  readonly producer: string;
}

const DEFAULTS: ImportedOnnxModelParams = { source: "model.onnx", producer: "" };
const SCHEMA = z.strictObject({ source: z.string(), producer: z.string() });

/**
 * Stands for an imported ONNX graph inside model.json; fitting or predicting in TypeScript is an
 * error that says to use ONNX Runtime.
 * @example
 * const m = new ImportedOnnxModel({ source: "iris.onnx", producer: "skl2onnx" });
 * m.getParams().source; // "iris.onnx"
 */
export class ImportedOnnxModel extends Estimator<ImportedOnnxModelParams, null> {
  static override readonly typeName = "ImportedOnnxModel";
  static override readonly tags: EstimatorTags = { kind: "regressor", allowNaN: true, stochastic: false };

  constructor(params: Partial<ImportedOnnxModelParams> = {}) {
    super(DEFAULTS, params, SCHEMA);
  }

  /** Always an error: an imported graph cannot be refitted. */
  fit(): this {
    throw this.#onnxOnly("fit");
  }

  /** Always an error: predict with ONNX Runtime. */
  predict(): never {
    throw this.#onnxOnly("predict");
  }

  #onnxOnly(what: string): KeelError {
    return new KeelError(
      "INVALID_STATE",
      `${what}(): this model was imported from ONNX (${this.getParams().source}) and has no TypeScript form; predict with ONNX Runtime (keel evaluate, @keel/runtime)`,
    );
  }
}

registerEstimators(ImportedOnnxModel);
