/**
 * SimpleImputer: float columns use ai.onnx.ml Imputer (NaN → fill); float64 datetime columns use
 * Where(IsNaN); string columns (missing arrives as "") use a CategoryMapper mask and Where.
 */
import type { SimpleImputerState } from "../../transform/simple-imputer.js";
import { attr } from "../attribute.js";
import { registerConverter } from "../converter-registry.js";
import { cast } from "../graph-ops.js";
import { stringTensor } from "../tensor.js";
import { mapSymbolicColumns } from "./column-step.js";

registerConverter("SimpleImputer", {
  kind: "transformer",
  convert({ g }, est, table) {
    const { columns } = est.assertFitted() as SimpleImputerState;
    return mapSymbolicColumns(
      table,
      columns.map((c) => c.name),
      (col, i) => {
        const fill = columns[i]!.fill;
        let tensor: string;
        if (col.kind === "string") {
          // 1 where the value is "" (missing), else 0; Where picks the fill there.
          const [flag] = g.node(
            "CategoryMapper",
            [col.tensor],
            { cats_strings: attr.strings([""]), cats_int64s: attr.ints([1]), default_int64: attr.int(0) },
            {
              domain: "ai.onnx.ml",
              outputs: [`${col.name}_is_missing`],
              types: [{ type: "int64", shape: ["N", 1] }],
            },
          );
          const mask = cast(g, flag!, "bool", `${col.name}_missing_mask`);
          const value = g.constant(`${col.name}_fill`, stringTensor([1, 1], [String(fill)]));
          tensor = g.node("Where", [mask, value, col.tensor], {}, { outputs: [`${col.name}_imputed`] })[0]!;
        } else if (col.kind === "datetime") {
          const [mask] = g.node("IsNaN", [col.tensor], {}, { outputs: [`${col.name}_missing_mask`] });
          const value = g.constant(`${col.name}_fill`, {
            type: "double",
            dims: [1, 1],
            values: [Number(fill)],
          });
          tensor = g.node("Where", [mask!, value, col.tensor], {}, { outputs: [`${col.name}_imputed`] })[0]!;
        } else {
          tensor = g.node(
            "Imputer",
            [col.tensor],
            {
              imputed_value_floats: attr.floats([Number(fill)]),
              replaced_value_float: attr.float(Number.NaN),
            },
            {
              domain: "ai.onnx.ml",
              outputs: [`${col.name}_imputed`],
              types: [{ type: "float", shape: ["N", 1] }],
            },
          )[0]!;
        }
        return [{ ...col, tensor, missingSafe: true }];
      },
    );
  },
});
