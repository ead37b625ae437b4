/**
 * Open Inference Protocol (KServe V2) tensor datatypes, and which of them fit each signature
 * input type: numbers take any numeric datatype, booleans BOOL or integers (0/1), strings BYTES,
 * datetimes BYTES (ISO-8601 text) or INT64/FP64 (epoch milliseconds).
 */
import type { InputType } from "@keel/runtime";

/** Every datatype of the protocol. */
export const V2_DATATYPES = [
  "BOOL",
  "UINT8",
  "UINT16",
  "UINT32",
  "UINT64",
  "INT8",
  "INT16",
  "INT32",
  "INT64",
  "FP16",
  "FP32",
  "FP64",
  "BYTES",
] as const;

/** One protocol datatype. */
export type V2Datatype = (typeof V2_DATATYPES)[number];

const INTEGER_RANGES: Partial<Record<V2Datatype, readonly [number, number]>> = {
  UINT8: [0, 255],
  UINT16: [0, 65_535],
  UINT32: [0, 4_294_967_295],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
  INT8: [-128, 127],
  INT16: [-32_768, 32_767],
  INT32: [-2_147_483_648, 2_147_483_647],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

const NUMERIC: readonly V2Datatype[] = V2_DATATYPES.filter((d) => d !== "BOOL" && d !== "BYTES");
const INTEGERS: readonly V2Datatype[] = NUMERIC.filter((d) => INTEGER_RANGES[d] !== undefined);

/** Datatypes accepted for each signature input type. */
export const ACCEPTED_DATATYPES: Readonly<Record<InputType, readonly V2Datatype[]>> = Object.freeze({
  number: NUMERIC,
  boolean: ["BOOL", ...INTEGERS],
  string: ["BYTES"],
  datetime: ["BYTES", "INT64", "FP64"],
});

/** The datatype model metadata advertises for an input type. */
export const ADVERTISED_DATATYPE: Readonly<Record<InputType, V2Datatype>> = Object.freeze({
  number: "FP32",
  boolean: "BOOL",
  string: "BYTES",
  datetime: "BYTES",
});

/** True for a protocol datatype name. */
export function isV2Datatype(s: unknown): s is V2Datatype {
  return typeof s === "string" && (V2_DATATYPES as readonly string[]).includes(s);
}

/**
 * Why `value` cannot be an element of a `datatype` tensor, or undefined when it can. `null`
 * always passes: it is the protocol-level spelling of a missing value (JSON has no NaN), and the
 * signature decides whether the column accepts it.
 */
export function elementProblem(datatype: V2Datatype, value: unknown): string | undefined {
  if (value === null) return undefined;
  if (datatype === "BOOL") return typeof value === "boolean" ? undefined : "expected true or false";
  if (datatype === "BYTES") return typeof value === "string" ? undefined : "expected a string";
  if (typeof value !== "number") return "expected a number";
  const range = INTEGER_RANGES[datatype];
  if (range === undefined) return undefined;
  if (!Number.isInteger(value)) return `expected an integer for ${datatype}`;
  if (value < range[0] || value > range[1]) return `out of range for ${datatype} (${range[0]}..${range[1]})`;
  return undefined;
}

/** The datatype of a label tensor: BYTES for text labels, BOOL, INT64 or FP64 for the others. */
export function labelDatatype(classes: readonly (string | number | boolean)[]): V2Datatype {
  if (classes.length > 0 && classes.every((c) => typeof c === "boolean")) return "BOOL";
  if (classes.length > 0 && classes.every((c) => typeof c === "number")) {
    return classes.every((c) => Number.isInteger(c)) ? "INT64" : "FP64";
  }
  return "BYTES";
}
