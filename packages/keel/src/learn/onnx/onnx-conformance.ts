/**
 * Adds ONNX parity to learn/core's `checkEstimator`: importing this module registers a check that
 * exports each fitted estimator (when a converter exists and the params are exportable) and
 * compares ONNX Runtime with TypeScript on the conformance data.
 */
import { registerConformanceCheck } from "../core/check-estimator.js";
import { matrixToTable } from "../core/table.js";
import { convertibleTypes, exportBlocker } from "./converter-registry.js";
import { onnxParity } from "./parity.js";

registerConformanceCheck({
  name: "onnx parity",
  appliesTo: (Ctor) => convertibleTypes().includes(Ctor.typeName),
  async run(ctx) {
    if (exportBlocker(ctx.fitted) !== undefined) return [];
    const table = ctx.fitted.tags.kind === "transformer" ? ctx.data.table! : matrixToTable(ctx.data.X);
    return (await onnxParity(ctx.fitted, table)).problems;
  },
});
