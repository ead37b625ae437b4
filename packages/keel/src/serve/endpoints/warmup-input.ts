/**
 * A one-row input built from a signature, for warming a version up (one real inference) before
 * it takes traffic: the first ONNX Runtime run allocates and is several times slower.
 */
import type { Signature } from "@keel/runtime";
import type { ColumnarInput } from "../columnar-input.js";

/** One row that every input of `signature` accepts: a known category, 0, false, the epoch. */
export function warmupInput(signature: Signature): ColumnarInput {
  const columns: Record<string, unknown[]> = {};
  for (const s of signature.inputs) {
    const value =
      s.type === "number"
        ? 0
        : s.type === "boolean"
          ? false
          : s.type === "datetime"
            ? 0
            : (s.categories?.[0] ?? "");
    columns[s.name] = [value];
  }
  return { nRows: 1, columns };
}
