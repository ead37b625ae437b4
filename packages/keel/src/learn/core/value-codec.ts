import { invalidParam } from "../../errors.js";

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Something that serializes itself as an estimator (duck-typed to avoid an import cycle). */
export interface SerializableEstimator {
  serialize(): SerializedEstimator;
}

/** An estimator as data: type name (a key of the fixed registry), params and learned state. */
export interface SerializedEstimator {
  /** Registry key, e.g. "LogisticRegression". */
  readonly type: string;
  /** Encoded constructor params (nested estimators encoded too). */
  readonly params: Json;
  /** Encoded learned state, or null when not fitted. */
  readonly state: Json;
}

const TYPED = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
} as const;
type TypedName = keyof typeof TYPED;

/**
 * Encodes params/state as JSON: typed arrays become `{ $typed, base64 }` (little-endian bytes,
 * compact and exact), non-finite numbers `{ $num }`, estimators `{ $estimator }`. Anything else
 * that is not plain data (Map, class instances, functions) is an error: state must be data.
 */
export function encodeValue(value: unknown, where = "value"): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isFinite(value) ? value : { $num: String(value) };
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    if (!(name in TYPED))
      throw invalidParam(`Cannot serialize ${where}: ${name} is not a supported typed array`);
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return { $typed: name, base64: bytes.toString("base64") };
  }
  if (Array.isArray(value)) return value.map((v, i) => encodeValue(v, `${where}[${i}]`));
  if (typeof value === "object") {
    if (typeof (value as SerializableEstimator).serialize === "function") {
      return { $estimator: (value as SerializableEstimator).serialize() as unknown as Json };
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw invalidParam(`Cannot serialize ${where}: ${proto?.constructor?.name} is not plain data`);
    }
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = encodeValue(v, `${where}.${k}`);
    return out;
  }
  throw invalidParam(`Cannot serialize ${where}: ${typeof value} is not data`);
}

/** Inverse of {@link encodeValue}; `reviveEstimator` rebuilds nested estimators (from the registry). */
export function decodeValue(json: Json, reviveEstimator: (s: SerializedEstimator) => unknown): unknown {
  if (json === null || typeof json !== "object") return json;
  if (Array.isArray(json)) return json.map((v) => decodeValue(v, reviveEstimator));
  if (typeof json.$num === "string") return Number(json.$num);
  if (typeof json.$typed === "string" && typeof json.base64 === "string") {
    const Ctor = TYPED[json.$typed as TypedName];
    if (!Ctor) throw invalidParam(`Unknown typed array '${json.$typed}' in serialized estimator`);
    const bytes = Buffer.from(json.base64, "base64");
    // Copy into a fresh, aligned buffer: Buffer slices may not be aligned for Float64Array.
    const buf = new ArrayBuffer(bytes.length);
    new Uint8Array(buf).set(bytes);
    return new Ctor(buf);
  }
  if (json.$estimator && typeof json.$estimator === "object") {
    return reviveEstimator(json.$estimator as unknown as SerializedEstimator);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(json)) out[k] = decodeValue(v, reviveEstimator);
  return out;
}
