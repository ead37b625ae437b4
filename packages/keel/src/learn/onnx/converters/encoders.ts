/**
 * Category encoders. String columns: OneHotEncoder → ai.onnx.ml OneHotEncoder (zeros=1, so an
 * unknown or missing "" value encodes as all zeros) and OrdinalEncoder → ai.onnx.ml LabelEncoder
 * (string → float code, "" → NaN, unknown → unknownValue). Numeric category columns compare
 * with Equal against each category (ai.onnx.ml encoders have no float keys for one-hot).
 */
import type { OneHotEncoderState } from "../../transform/one-hot-encoder.js";
import type { OrdinalEncoderState } from "../../transform/ordinal-encoder.js";
import { attr } from "../attribute.js";
import { type ExportContext, registerConverter } from "../converter-registry.js";
import { cast, reshapeRows } from "../graph-ops.js";
import type { SymbolicColumn } from "../symbolic-table.js";
import { floatTensor, int64Tensor } from "../tensor.js";
import { derived, mapSymbolicColumns } from "./column-step.js";

/** Records the categories of a raw string input for the signature. */
function annotate(
  ctx: ExportContext,
  col: SymbolicColumn,
  categories: readonly string[],
  unknown: "error" | "ignore",
): void {
  if (col.kind === "string" && col.sources.length === 1) {
    ctx.annotateInput(col.sources[0]!, { categories, unknownCategory: unknown });
  }
}

/** Splits an [N, K] tensor into K [N, 1] tensors named after `names`. */
function splitColumns(ctx: ExportContext, x: string, names: readonly string[]): string[] {
  if (names.length === 1) return [x];
  return ctx.g.node("Split", [x], { axis: attr.int(1) }, { outputs: names.map((n) => `${n}_col`) });
}

/** float [N, 1] tensors, 1 where `x` equals each numeric category. */
function numericIndicators(ctx: ExportContext, col: SymbolicColumn, categories: readonly string[]): string[] {
  const { g } = ctx;
  return categories.map((c) => {
    const value = g.constant(`${col.name}_eq_${c}`, floatTensor([1, 1], [Number(c)]));
    const x = col.kind === "datetime" ? cast(g, col.tensor, "float", `${col.name}_float`) : col.tensor;
    const [eq] = g.node("Equal", [x, value], {}, { outputs: [`${col.name}_is_${c}`] });
    return cast(g, eq!, "float", `${col.name}_${c}`);
  });
}

registerConverter("OneHotEncoder", {
  kind: "transformer",
  convert(ctx, est, table) {
    const { columns } = est.assertFitted() as OneHotEncoderState;
    const { handleUnknown } = est.getParams() as { handleUnknown: "error" | "ignore" };
    return mapSymbolicColumns(
      table,
      columns.map((c) => c.name),
      (col, j) => {
        const cats = columns[j]!.categories;
        if (cats.length === 0) return [];
        annotate(ctx, col, cats, handleUnknown);
        const names = cats.map((c) => `${col.name}_${c}`);
        let tensors: string[];
        if (col.kind === "string") {
          const [hot] = ctx.g.node(
            "OneHotEncoder",
            [col.tensor],
            { cats_strings: attr.strings(cats), zeros: attr.int(1) },
            {
              domain: "ai.onnx.ml",
              outputs: [`${col.name}_onehot`],
              types: [{ type: "float", shape: ["N", 1, cats.length] }],
            },
          );
          // [N, 1] in → [N, 1, K] out; flatten to [N, K] and split into columns.
          tensors = splitColumns(ctx, reshapeRows(ctx.g, hot!, cats.length, `${col.name}_onehot_2d`), names);
        } else {
          tensors = numericIndicators(ctx, col, cats);
        }
        return names.map((name, k) => derived(col, name, tensors[k]!, true));
      },
    );
  },
});

registerConverter("OrdinalEncoder", {
  kind: "transformer",
  convert(ctx, est, table) {
    const { g } = ctx;
    const { columns } = est.assertFitted() as OrdinalEncoderState;
    const { unknownValue } = est.getParams() as { unknownValue: number };
    return mapSymbolicColumns(
      table,
      columns.map((c) => c.name),
      (col, j) => {
        const cats = columns[j]!.categories;
        annotate(ctx, col, cats, "ignore");
        let out: string;
        if (col.kind === "string") {
          // "" is how a missing string arrives; it encodes as NaN like a null does in TypeScript.
          const keys = cats.includes("") ? cats : [...cats, ""];
          const values = keys.map((k) => (k === "" && !cats.includes("") ? Number.NaN : cats.indexOf(k)));
          out = g.node(
            "LabelEncoder",
            [col.tensor],
            {
              keys_strings: attr.strings(keys),
              values_floats: attr.floats(values),
              default_float: attr.float(unknownValue),
            },
            {
              domain: "ai.onnx.ml",
              outputs: [`${col.name}_code`],
              types: [{ type: "float", shape: ["N", 1] }],
            },
          )[0]!;
        } else {
          // code = Σ k·[x = c_k]; unknown when no category matched; NaN stays NaN.
          const hits = numericIndicators(ctx, col, cats);
          const weights = g.constant(
            `${col.name}_codes`,
            floatTensor(
              [cats.length, 1],
              cats.map((_, k) => k),
            ),
          );
          const [stack] = g.node("Concat", hits, { axis: attr.int(1) }, { outputs: [`${col.name}_hits`] });
          const [code] = g.node("MatMul", [stack!, weights], {}, { outputs: [`${col.name}_known_code`] });
          // ReduceSum takes its axes as an input since opset 13.
          const axes = g.constant(`${col.name}_axes`, int64Tensor([1], [1]));
          const [any] = g.node(
            "ReduceSum",
            [stack!, axes],
            { keepdims: attr.int(1) },
            { outputs: [`${col.name}_matched`] },
          );
          const zero = g.constant(`${col.name}_zero`, floatTensor([1, 1], [0]));
          const [none] = g.node("Equal", [any!, zero], {}, { outputs: [`${col.name}_unmatched`] });
          const unknown = g.constant(`${col.name}_unknown`, floatTensor([1, 1], [unknownValue]));
          const [coded] = g.node("Where", [none!, unknown, code!], {}, { outputs: [`${col.name}_coded`] });
          const x =
            col.kind === "datetime" ? cast(g, col.tensor, "float", `${col.name}_float_in`) : col.tensor;
          const [nan] = g.node("IsNaN", [x], {}, { outputs: [`${col.name}_is_nan`] });
          const nanValue = g.constant(`${col.name}_nan`, floatTensor([1, 1], [Number.NaN]));
          out = g.node("Where", [nan!, nanValue, coded!], {}, { outputs: [`${col.name}_code`] })[0]!;
        }
        return [derived(col, col.name, out)];
      },
    );
  },
});
