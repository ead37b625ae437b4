/**
 * Converters from fitted estimators to ONNX subgraphs, keyed by the estimator's serialized type
 * name (the same key as learn/core's deserialization registry). Converters read the estimator's
 * `fitted_` state and append nodes to the graph; they never run the estimator.
 */
import { KeelError } from "../../errors.js";
import type { AnyEstimator } from "../core/estimator.js";
import type { GraphBuilder } from "./graph-builder.js";
import type { SymbolicTable } from "./symbolic-table.js";

/** What an encoder tells the signature about a raw string column it consumes. */
export interface InputAnnotation {
  /** Categories seen in training. */
  readonly categories?: readonly string[];
  /** Whether unseen categories are handled by the graph ("ignore") or must be rejected ("error"). */
  readonly unknownCategory?: "error" | "ignore";
}

/** Shared state of one export: the graph and per-input annotations. */
export interface ExportContext {
  /** The graph being built. */
  readonly g: GraphBuilder;
  /** Records what a converter knows about a raw input column (categories, unknown policy). */
  annotateInput(rawName: string, annotation: InputAnnotation): void;
}

/** Tensors a predictor converter produces. */
export interface PredictorOutputs {
  /** float [N, C] class probabilities (classifiers). */
  readonly probabilities?: string;
  /** int64 [N] class index (classifiers); derived from `probabilities` by ArgMax when absent. */
  readonly label?: string;
  /** float [N, 1] predicted value (regressors). */
  readonly variable?: string;
}

/** Converts a fitted transformer: symbolic table in, symbolic table out. */
export interface TransformerConverter {
  /** "transformer". */
  readonly kind: "transformer";
  /** Appends the transformer's nodes; mirrors `transform()`. */
  convert(ctx: ExportContext, est: AnyEstimator, table: SymbolicTable): SymbolicTable;
}

/** Converts a fitted classifier or regressor over a float [N, F] feature matrix. */
export interface PredictorConverter {
  /** "predictor". */
  readonly kind: "predictor";
  /** Appends the estimator's nodes; `features` is a float [N, nFeatures] tensor. */
  convert(ctx: ExportContext, est: AnyEstimator, features: string, nFeatures: number): PredictorOutputs;
}

/** A converter of either kind; `unsupported` explains param settings that cannot be exported. */
export type Converter = (TransformerConverter | PredictorConverter) & {
  /** A reason the fitted estimator cannot be exported, or undefined when it can. */
  unsupported?(est: AnyEstimator): string | undefined;
};

const CONVERTERS = new Map<string, Converter>();

/** Registers the converter for estimators of serialized type `typeName`. */
export function registerConverter(typeName: string, converter: Converter): void {
  CONVERTERS.set(typeName, converter);
}

/** Type names that have a converter, sorted. */
export function convertibleTypes(): string[] {
  return [...CONVERTERS.keys()].sort();
}

/** The converter for `est`, or a NOT_IMPLEMENTED error naming the types that can be exported. */
export function converterFor(est: AnyEstimator): Converter {
  const c = CONVERTERS.get(est.typeName);
  if (!c) {
    throw new KeelError(
      "NOT_IMPLEMENTED",
      `No ONNX converter for ${est.typeName}; exportable types: ${convertibleTypes().join(", ")}`,
    );
  }
  const reason = c.unsupported?.(est);
  if (reason)
    throw new KeelError("INVALID_PARAMETER_VALUE", `${est.typeName} cannot be exported to ONNX: ${reason}`);
  return c;
}

/** Undefined when `est` can be exported, else the reason it cannot. */
export function exportBlocker(est: AnyEstimator): string | undefined {
  const c = CONVERTERS.get(est.typeName);
  if (!c) return `no ONNX converter for ${est.typeName}`;
  return c.unsupported?.(est);
}
