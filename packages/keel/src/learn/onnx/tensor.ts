/**
 * ONNX tensors and element types as Keel builds them: constants become `raw_data` (little-endian,
 * fixed width), which is the compact encoding every reader accepts; strings use `string_data`.
 */

/** ONNX `TensorProto.DataType` numbers for the element types Keel emits. */
export const DATA_TYPE = {
  float: 1,
  int32: 6,
  int64: 7,
  string: 8,
  bool: 9,
  double: 11,
} as const;

/** An element type Keel emits. */
export type ElemType = keyof typeof DATA_TYPE;

/** A constant tensor to store as a graph initializer. */
export interface Tensor {
  /** Element type. */
  readonly type: ElemType;
  /** Shape; `[]` is a scalar. */
  readonly dims: readonly number[];
  /** Row-major values; numbers for numeric/bool types, strings for `string`. */
  readonly values: ArrayLike<number> | readonly string[];
}

/** A float32 tensor (values are rounded to float32 on encoding). */
export function floatTensor(dims: readonly number[], values: ArrayLike<number>): Tensor {
  return { type: "float", dims, values };
}

/** An int64 tensor (values must be safe integers). */
export function int64Tensor(dims: readonly number[], values: ArrayLike<number>): Tensor {
  return { type: "int64", dims, values };
}

/** A UTF-8 string tensor. */
export function stringTensor(dims: readonly number[], values: readonly string[]): Tensor {
  return { type: "string", dims, values };
}

/** Number of elements implied by `dims`. */
function sizeOf(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** The plain object protobufjs encodes as `onnx.TensorProto`. */
export function tensorProto(name: string, t: Tensor): Record<string, unknown> {
  const n = sizeOf(t.dims);
  if (t.values.length !== n) {
    throw new Error(
      `tensor '${name}' has ${t.values.length} values but dims [${t.dims.join(", ")}] need ${n}`,
    );
  }
  const base = { name, dims: [...t.dims], data_type: DATA_TYPE[t.type] };
  if (t.type === "string") {
    const enc = new TextEncoder();
    return { ...base, string_data: (t.values as readonly string[]).map((s) => enc.encode(s)) };
  }
  const nums = t.values as ArrayLike<number>;
  return { ...base, raw_data: rawBytes(t.type, nums) };
}

/** Little-endian fixed-width bytes of numeric values (x86/ARM are little-endian, as ONNX requires). */
function rawBytes(type: Exclude<ElemType, "string">, values: ArrayLike<number>): Uint8Array {
  switch (type) {
    case "float":
      return new Uint8Array(Float32Array.from(values).buffer);
    case "double":
      return new Uint8Array(Float64Array.from(values).buffer);
    case "int32":
      return new Uint8Array(Int32Array.from(values).buffer);
    case "int64": {
      const out = new BigInt64Array(values.length);
      for (let i = 0; i < values.length; i++) out[i] = BigInt(values[i] as number);
      return new Uint8Array(out.buffer);
    }
    case "bool":
      return Uint8Array.from(values, (v) => (v ? 1 : 0));
  }
}
