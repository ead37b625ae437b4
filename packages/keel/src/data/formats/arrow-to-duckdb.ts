import {
  BIGINT,
  BLOB,
  BOOLEAN,
  blobValue,
  DATE,
  DECIMAL,
  DOUBLE,
  type DuckDBType,
  type DuckDBValue,
  dateValue,
  decimalValue,
  FLOAT,
  INTEGER,
  SMALLINT,
  TIME,
  TIMESTAMP,
  TIMESTAMP_MS,
  TIMESTAMP_NS,
  TIMESTAMP_S,
  TIMESTAMPTZ,
  TINYINT,
  timestampMillisValue,
  timestampNanosValue,
  timestampSecondsValue,
  timestampTZValue,
  timestampValue,
  timeValue,
  UBIGINT,
  UINTEGER,
  USMALLINT,
  UTINYINT,
  VARCHAR,
} from "@duckdb/node-api";
import { type Data, type DataType, type Field, makeVector, Type, type Vector } from "apache-arrow";
import { KeelError } from "../../errors.js";

/** How one Arrow field lands in DuckDB: the column type and a per-row value reader. */
export interface ArrowColumnPlan {
  /** DuckDB type of the target column. */
  readonly duckType: DuckDBType;
  /** Reads row `i` of one record batch's column data as a DuckDB value (null for null). */
  readonly reader: (data: Data) => (i: number) => DuckDBValue | null;
}

const DAY_MS = 86_400_000;

/**
 * The DuckDB column for an Arrow field. Nested types (list, struct, map, union) are refused
 * with the column name: Keel's tables are flat.
 */
export function planArrowColumn(field: Field, path: string): ArrowColumnPlan {
  const type = field.type as DataType & Record<string, unknown>;
  switch (type.typeId) {
    case Type.Int: {
      const bits = type.bitWidth as number;
      const signed = type.isSigned as boolean;
      const duckType = signed
        ? ({ 8: TINYINT, 16: SMALLINT, 32: INTEGER, 64: BIGINT } as const)[bits as 8]
        : ({ 8: UTINYINT, 16: USMALLINT, 32: UINTEGER, 64: UBIGINT } as const)[bits as 8];
      return { duckType, reader: typedArrayReader };
    }
    case Type.Float:
      return {
        duckType: (type.precision as number) === 2 ? DOUBLE : FLOAT,
        reader: (type.precision as number) === 0 ? viaVector((v) => v as number) : typedArrayReader,
      };
    case Type.Bool:
      return { duckType: BOOLEAN, reader: viaVector((v) => v as boolean) };
    case Type.Utf8:
      return { duckType: VARCHAR, reader: utf8Reader };
    case Type.LargeUtf8:
    case Type.Utf8View:
      return { duckType: VARCHAR, reader: viaVector((v) => v as string) };
    case Type.Dictionary:
      return { duckType: VARCHAR, reader: viaVector((v) => String(v)) };
    case Type.Binary:
    case Type.LargeBinary:
    case Type.BinaryView:
    case Type.FixedSizeBinary:
      return { duckType: BLOB, reader: viaVector((v) => blobValue(v as Uint8Array)) };
    case Type.Date:
      return {
        duckType: DATE,
        reader: rawReader((raw) =>
          dateValue(Number((type.unit as number) === 0 ? raw : BigInt(raw) / BigInt(DAY_MS))),
        ),
      };
    case Type.Timestamp:
      return timestampPlan(type.unit as number, type.timezone as string | null | undefined);
    case Type.Time:
      return {
        duckType: TIME,
        reader: rawReader((raw) => timeValue(toMicros(BigInt(raw), type.unit as number))),
      };
    case Type.Decimal: {
      const precision = type.precision as number;
      const scale = type.scale as number;
      if ((type.bitWidth as number) !== 128 || precision > 38) break;
      return {
        duckType: DECIMAL(precision, scale),
        reader: (data) => {
          const words = data.values as Uint32Array;
          return (i) =>
            data.getValid(i) ? decimalValue(readInt128(words, data.offset + i), precision, scale) : null;
        },
      };
    }
    case Type.Null:
      return { duckType: VARCHAR, reader: () => () => null };
    default:
      break;
  }
  throw new KeelError(
    "NOT_IMPLEMENTED",
    `${path}: column '${field.name}' has Arrow type ${String(field.type)}, which Keel cannot load; ` +
      "flatten nested columns to numbers, text or dates first",
  );
}

function timestampPlan(unit: number, timezone: string | null | undefined): ArrowColumnPlan {
  if (timezone) {
    return {
      duckType: TIMESTAMPTZ,
      reader: rawReader((raw) => timestampTZValue(toMicros(BigInt(raw), unit))),
    };
  }
  switch (unit) {
    case 0:
      return { duckType: TIMESTAMP_S, reader: rawReader((raw) => timestampSecondsValue(BigInt(raw))) };
    case 1:
      return { duckType: TIMESTAMP_MS, reader: rawReader((raw) => timestampMillisValue(BigInt(raw))) };
    case 3:
      return { duckType: TIMESTAMP_NS, reader: rawReader((raw) => timestampNanosValue(BigInt(raw))) };
    default:
      return { duckType: TIMESTAMP, reader: rawReader((raw) => timestampValue(BigInt(raw))) };
  }
}

// TimeUnit: 0 s, 1 ms, 2 us, 3 ns.
function toMicros(value: bigint, unit: number): bigint {
  if (unit === 0) return value * 1_000_000n;
  if (unit === 1) return value * 1_000n;
  if (unit === 3) return value / 1_000n;
  return value;
}

// Fixed-width numbers: index the typed array directly (no per-row boxing by Arrow).
function typedArrayReader(data: Data): (i: number) => DuckDBValue | null {
  const values = data.values as ArrayLike<number | bigint>;
  const offset = data.offset;
  if (data.nullCount === 0) return (i) => values[offset + i] as number | bigint;
  return (i) => (data.getValid(i) ? (values[offset + i] as number | bigint) : null);
}

// The raw stored integer (days, ms, us...) of date/time types, converted by `convert`.
function rawReader(
  convert: (raw: number | bigint) => DuckDBValue,
): (data: Data) => (i: number) => DuckDBValue | null {
  return (data) => {
    const values = data.values as ArrayLike<number | bigint>;
    const offset = data.offset;
    return (i) => (data.getValid(i) ? convert(values[offset + i] as number | bigint) : null);
  };
}

// Utf8: an all-ASCII batch (the usual case for codes and labels) is decoded once and sliced;
// otherwise Arrow decodes value by value.
function utf8Reader(data: Data): (i: number) => DuckDBValue | null {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const offset = data.offset;
  const first = offsets[offset] ?? 0;
  const last = offsets[offset + data.length] ?? 0;
  for (let b = first; b < last; b++) {
    if ((bytes[b] ?? 0) > 127) return viaVector((v) => v as string)(data);
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  return (i) =>
    data.getValid(i) ? text.substring(offsets[offset + i] ?? 0, offsets[offset + i + 1] ?? 0) : null;
}

// Variable-width and bit-packed types: let Arrow decode the value.
function viaVector(
  convert: (value: unknown) => DuckDBValue,
): (data: Data) => (i: number) => DuckDBValue | null {
  return (data) => {
    const vector: Vector = makeVector(data);
    return (i) => {
      const value = vector.get(i);
      return value === null || value === undefined ? null : convert(value);
    };
  };
}

// A little-endian two's-complement 128-bit integer stored as four 32-bit words.
function readInt128(words: Uint32Array, index: number): bigint {
  const base = index * 4;
  let value = 0n;
  for (let w = 3; w >= 0; w--) value = (value << 32n) | BigInt(words[base + w] ?? 0);
  return BigInt.asIntN(128, value);
}
