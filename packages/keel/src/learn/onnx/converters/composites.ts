/**
 * Composite transformers: ColumnTransformer (each entry converts its own columns; outputs are
 * concatenated in entry order, then the passthrough columns) and a Pipeline of transformers nested
 * inside one (its steps convert in order). A top-level Pipeline is unrolled by exportOnnx itself.
 */
import type { AnyEstimator } from "../../core/estimator.js";
import type { ColumnTransformerParams, ColumnTransformerState } from "../../transform/column-transformer.js";
import {
  type Converter,
  converterFor,
  type ExportContext,
  exportBlocker,
  registerConverter,
} from "../converter-registry.js";
import { type SymbolicTable, symbolicColumn } from "../symbolic-table.js";

/** Runs a transformer's converter (which must be a transformer converter) on `table`. */
function convertTransformer(ctx: ExportContext, est: AnyEstimator, table: SymbolicTable): SymbolicTable {
  const conv = converterFor(est);
  if (conv.kind !== "transformer") {
    throw new Error(`ONNX export: ${est.typeName} is not a transformer but is used as one`);
  }
  return conv.convert(ctx, est, table);
}

/** The first export blocker among `parts`, prefixed with where it is. */
function firstBlocker(parts: readonly (readonly [string, AnyEstimator])[]): string | undefined {
  for (const [name, est] of parts) {
    const reason = exportBlocker(est);
    if (reason) return `step '${name}': ${reason}`;
  }
  return undefined;
}

registerConverter("ColumnTransformer", {
  kind: "transformer",
  unsupported(est) {
    const { transformers } = est.getParams() as ColumnTransformerParams;
    return firstBlocker(transformers.map(([name, t]) => [name, t] as const));
  },
  convert(ctx, est, table) {
    const { passthrough } = est.assertFitted() as ColumnTransformerState;
    const { transformers } = est.getParams() as ColumnTransformerParams;
    const columns = [];
    for (const [, t, cols] of transformers) {
      if (cols.length === 0) continue;
      const sub: SymbolicTable = { columns: cols.map((c) => symbolicColumn(table, c)) };
      columns.push(...convertTransformer(ctx, t, sub).columns);
    }
    columns.push(...passthrough.map((n) => symbolicColumn(table, n)));
    return { columns };
  },
});

const pipelineConverter: Converter = {
  kind: "transformer",
  unsupported(est) {
    const { steps } = est.getParams() as { steps: readonly (readonly [string, AnyEstimator])[] };
    return firstBlocker(steps);
  },
  convert(ctx, est, table) {
    const { steps } = est.getParams() as { steps: readonly (readonly [string, AnyEstimator])[] };
    let t = table;
    for (const [, step] of steps) t = convertTransformer(ctx, step, t);
    return t;
  },
};
registerConverter("Pipeline", pipelineConverter);
