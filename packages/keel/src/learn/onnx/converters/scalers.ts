/**
 * StandardScaler as ai.onnx.ml Scaler (`(x - offset) * scale`, with scale = 1 / std; nothing for
 * an identity column) and
 * MinMaxScaler as Mul + Add (`x * scale + offset`, the same formula TypeScript applies).
 */
import type { MinMaxScalerState } from "../../transform/min-max-scaler.js";
import type { StandardScalerState } from "../../transform/standard-scaler.js";
import { attr } from "../attribute.js";
import { registerConverter } from "../converter-registry.js";
import { cast } from "../graph-ops.js";
import { floatTensor } from "../tensor.js";
import { derived, mapSymbolicColumns } from "./column-step.js";

registerConverter("StandardScaler", {
  kind: "transformer",
  convert({ g }, est, table) {
    const { columns, offset, scale } = est.assertFitted() as StandardScalerState;
    return mapSymbolicColumns(table, columns, (col, j) => {
      if (offset[j] === 0 && scale[j] === 1) {
        // An identity (the tree pipelines' pass-through): no node, only the float cast a Scaler
        // would have done; every node costs ONNX Runtime ~1-2 µs per run.
        const x = col.kind === "datetime" ? cast(g, col.tensor, "float", `${col.name}_float`) : col.tensor;
        return [derived(col, col.name, x)];
      }
      const [out] = g.node(
        "Scaler",
        [col.tensor],
        { offset: attr.floats([offset[j]!]), scale: attr.floats([1 / scale[j]!]) },
        {
          domain: "ai.onnx.ml",
          outputs: [`${col.name}_scaled`],
          types: [{ type: "float", shape: ["N", 1] }],
        },
      );
      return [derived(col, col.name, out!)];
    });
  },
});

registerConverter("MinMaxScaler", {
  kind: "transformer",
  convert({ g }, est, table) {
    const { columns, offset, scale } = est.assertFitted() as MinMaxScalerState;
    return mapSymbolicColumns(table, columns, (col, j) => {
      const x = col.kind === "datetime" ? cast(g, col.tensor, "float", `${col.name}_float`) : col.tensor;
      const s = g.constant(`${col.name}_scale`, floatTensor([1, 1], [scale[j]!]));
      const o = g.constant(`${col.name}_offset`, floatTensor([1, 1], [offset[j]!]));
      const [mul] = g.node("Mul", [x, s], {}, { outputs: [`${col.name}_times_scale`] });
      const [out] = g.node("Add", [mul!, o], {}, { outputs: [`${col.name}_minmax`] });
      return [derived(col, col.name, out!)];
    });
  },
});
