/**
 * Typed node attributes. The kind is explicit because ONNX distinguishes `INT` from `FLOAT`
 * (a JS number cannot tell us which one an operator expects).
 */
import { type Tensor, tensorProto } from "./tensor.js";

/** One node attribute value with its ONNX attribute kind. */
export type Attribute =
  | { readonly kind: "float"; readonly value: number }
  | { readonly kind: "int"; readonly value: number }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "floats"; readonly value: ArrayLike<number> }
  | { readonly kind: "ints"; readonly value: ArrayLike<number> }
  | { readonly kind: "strings"; readonly value: readonly string[] }
  | { readonly kind: "tensor"; readonly value: Tensor };

/** Constructors for attributes: `attr.ints([0, 1])`, `attr.string("SOFTMAX")`. */
export const attr = {
  /** A float attribute. */
  float: (value: number): Attribute => ({ kind: "float", value }),
  /** An int64 attribute. */
  int: (value: number): Attribute => ({ kind: "int", value }),
  /** A UTF-8 string attribute. */
  string: (value: string): Attribute => ({ kind: "string", value }),
  /** A list of floats. */
  floats: (value: ArrayLike<number>): Attribute => ({ kind: "floats", value }),
  /** A list of int64s. */
  ints: (value: ArrayLike<number>): Attribute => ({ kind: "ints", value }),
  /** A list of UTF-8 strings. */
  strings: (value: readonly string[]): Attribute => ({ kind: "strings", value }),
  /** A tensor attribute (e.g. `Constant.value`). */
  tensor: (value: Tensor): Attribute => ({ kind: "tensor", value }),
} as const;

// AttributeProto.AttributeType numbers from onnx.proto3.
const TYPE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7, strings: 8 } as const;

/** The plain object protobufjs encodes as `onnx.AttributeProto`. */
export function attributeProto(name: string, a: Attribute): Record<string, unknown> {
  const base = { name, type: TYPE[a.kind] };
  const enc = new TextEncoder();
  switch (a.kind) {
    case "float":
      return { ...base, f: a.value };
    case "int":
      return { ...base, i: a.value };
    case "string":
      return { ...base, s: enc.encode(a.value) };
    case "floats":
      return { ...base, floats: Array.from(a.value) };
    case "ints":
      return { ...base, ints: Array.from(a.value) };
    case "strings":
      return { ...base, strings: a.value.map((s) => enc.encode(s)) };
    case "tensor":
      return { ...base, t: tensorProto("", a.value) };
  }
}
