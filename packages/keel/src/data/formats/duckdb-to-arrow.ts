import { type DuckDBType, DuckDBTypeId, type DuckDBValue } from "@duckdb/node-api";
import {
  Binary,
  Bool,
  type Builder,
  type Data,
  type DataType,
  DateDay,
  Decimal,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  makeBuilder,
  makeData,
  TimeMicrosecond,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  TimestampSecond,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
} from "apache-arrow";

/** Collects one column's values for one record batch and hands them over as Arrow data. */
export interface ArrowColumnSink {
  /** Arrow type of the column. */
  readonly type: DataType;
  /** Appends one DuckDB value (null for null). */
  push(value: DuckDBValue | null): void;
  /** Returns the data appended since the last flush and starts a new batch. */
  flush(): Data;
}

/**
 * DuckDB types with no Arrow counterpart here, and the type to cast them to before writing
 * (by `DESCRIBE` name prefix). Everything else maps one to one.
 */
export function arrowCastFor(duckdbType: string): string | undefined {
  const t = duckdbType.toUpperCase();
  if (t === "HUGEINT" || t === "UHUGEINT") return "DOUBLE";
  if (/^(DECIMAL|NUMERIC)\((\d+)/.test(t) && Number(/\((\d+)/.exec(t)?.[1]) > 38) return "DOUBLE";
  const known =
    /^(BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL\(.*\)|VARCHAR|BLOB|DATE|TIME|TIMESTAMP|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS|TIMESTAMP WITH TIME ZONE)$/;
  return known.test(t) ? undefined : "VARCHAR";
}

/** A sink for a column of DuckDB type `type` (after {@link arrowCastFor} casts). */
export function arrowSinkFor(type: DuckDBType, capacity: number): ArrowColumnSink {
  switch (type.typeId) {
    case DuckDBTypeId.TINYINT:
      return new FixedSink(new Int8(), new Int8Array(capacity), num);
    case DuckDBTypeId.SMALLINT:
      return new FixedSink(new Int16(), new Int16Array(capacity), num);
    case DuckDBTypeId.INTEGER:
      return new FixedSink(new Int32(), new Int32Array(capacity), num);
    case DuckDBTypeId.BIGINT:
      return new FixedSink(new Int64(), new BigInt64Array(capacity), big);
    case DuckDBTypeId.UTINYINT:
      return new FixedSink(new Uint8(), new Uint8Array(capacity), num);
    case DuckDBTypeId.USMALLINT:
      return new FixedSink(new Uint16(), new Uint16Array(capacity), num);
    case DuckDBTypeId.UINTEGER:
      return new FixedSink(new Uint32(), new Uint32Array(capacity), num);
    case DuckDBTypeId.UBIGINT:
      return new FixedSink(new Uint64(), new BigUint64Array(capacity), big);
    case DuckDBTypeId.FLOAT:
      return new FixedSink(new Float32(), new Float32Array(capacity), num);
    case DuckDBTypeId.DOUBLE:
      return new FixedSink(new Float64(), new Float64Array(capacity), num);
    case DuckDBTypeId.DATE:
      return new FixedSink(
        new DateDay(),
        new Int32Array(capacity),
        (v) => (v as unknown as { days: number }).days,
      );
    case DuckDBTypeId.TIMESTAMP:
      return new FixedSink(new TimestampMicrosecond(), new BigInt64Array(capacity), field("micros"));
    case DuckDBTypeId.TIMESTAMP_TZ:
      return new FixedSink(new TimestampMicrosecond("UTC"), new BigInt64Array(capacity), field("micros"));
    case DuckDBTypeId.TIMESTAMP_MS:
      return new FixedSink(new TimestampMillisecond(), new BigInt64Array(capacity), field("millis"));
    case DuckDBTypeId.TIMESTAMP_S:
      return new FixedSink(new TimestampSecond(), new BigInt64Array(capacity), field("seconds"));
    case DuckDBTypeId.TIMESTAMP_NS:
      return new FixedSink(new TimestampNanosecond(), new BigInt64Array(capacity), field("nanos"));
    case DuckDBTypeId.TIME:
      return new FixedSink(new TimeMicrosecond(), new BigInt64Array(capacity), field("micros"));
    case DuckDBTypeId.DECIMAL: {
      const { width, scale } = type as unknown as { width: number; scale: number };
      return new DecimalSink(new Decimal(scale, width, 128), capacity);
    }
    case DuckDBTypeId.BOOLEAN:
      return new BuilderSink(new Bool());
    case DuckDBTypeId.BLOB:
      return new BuilderSink(new Binary(), (v) => (v as unknown as { bytes: Uint8Array }).bytes);
    default:
      return new Utf8Sink();
  }
}

const num = (v: DuckDBValue): number => v as number;
const big = (v: DuckDBValue): bigint => v as bigint;
const field =
  (name: string) =>
  (v: DuckDBValue): bigint =>
    (v as unknown as Record<string, bigint>)[name] as bigint;

type FixedArray =
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

// Fixed-width values go straight into a typed array plus an Arrow validity bitmap.
class FixedSink implements ArrowColumnSink {
  readonly type: DataType;
  readonly #values: FixedArray;
  readonly #convert: (v: DuckDBValue) => number | bigint;
  #validity: Uint8Array;
  #length = 0;
  #nulls = 0;

  constructor(type: DataType, values: FixedArray, convert: (v: DuckDBValue) => number | bigint) {
    this.type = type;
    this.#values = values;
    this.#convert = convert;
    this.#validity = new Uint8Array(Math.ceil(values.length / 8));
  }

  push(value: DuckDBValue | null): void {
    const i = this.#length++;
    if (value === null) {
      this.#nulls++;
      return;
    }
    (this.#values as { [k: number]: number | bigint })[i] = this.#convert(value);
    this.#validity[i >> 3] = (this.#validity[i >> 3] ?? 0) | (1 << (i & 7));
  }

  flush(): Data {
    const length = this.#length;
    const data = makeData({
      type: this.type,
      length,
      nullCount: this.#nulls,
      nullBitmap: this.#nulls > 0 ? this.#validity.slice(0, Math.ceil(length / 8)) : null,
      data: this.#values.slice(0, length),
    } as never) as Data;
    this.#length = 0;
    this.#nulls = 0;
    this.#validity = new Uint8Array(this.#validity.length);
    return data;
  }
}

// DECIMAL: the unscaled 128-bit integer as four little-endian 32-bit words. The validity
// bookkeeping is delegated to a FixedSink whose own values are unused.
class DecimalSink implements ArrowColumnSink {
  readonly type: DataType;
  readonly #validity: FixedSink;
  readonly #words: Uint32Array;
  #length = 0;

  constructor(type: Decimal, capacity: number) {
    this.type = type;
    this.#words = new Uint32Array(capacity * 4);
    this.#validity = new FixedSink(type, new Int8Array(capacity), () => 0);
  }

  push(value: DuckDBValue | null): void {
    const i = this.#length++;
    this.#validity.push(value);
    if (value === null) return;
    let unscaled = BigInt.asUintN(128, (value as unknown as { value: bigint }).value);
    for (let w = 0; w < 4; w++) {
      this.#words[i * 4 + w] = Number(unscaled & 0xffffffffn);
      unscaled >>= 32n;
    }
  }

  flush(): Data {
    const shape = this.#validity.flush();
    this.#length = 0;
    return makeData({
      type: this.type,
      length: shape.length,
      nullCount: shape.nullCount,
      nullBitmap: shape.nullBitmap,
      data: this.#words.slice(0, shape.length * 4),
    } as never) as Data;
  }
}

// Text: offsets plus UTF-8 bytes written directly (Arrow's Utf8 builder is several times
// slower); ASCII is copied char by char, anything else goes through TextEncoder.
class Utf8Sink implements ArrowColumnSink {
  readonly type = new Utf8();
  static readonly #encoder = new TextEncoder();
  #values: (string | null)[] = [];

  push(value: DuckDBValue | null): void {
    this.#values.push(value === null ? null : String(value));
  }

  flush(): Data {
    const values = this.#values;
    this.#values = [];
    const offsets = new Int32Array(values.length + 1);
    const validity = new Uint8Array(Math.ceil(values.length / 8));
    let bytes: Uint8Array = new Uint8Array(values.reduce((n, v) => n + (v?.length ?? 0), 0) + 16);
    let pos = 0;
    let nulls = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || v === undefined) {
        nulls++;
      } else {
        validity[i >> 3] = (validity[i >> 3] ?? 0) | (1 << (i & 7));
        if (bytes.length - pos < v.length * 3) bytes = grow(bytes, pos + v.length * 3);
        let ascii = true;
        for (let j = 0; j < v.length; j++) {
          const code = v.charCodeAt(j);
          if (code > 127) {
            ascii = false;
            break;
          }
          bytes[pos + j] = code;
        }
        pos += ascii ? v.length : Utf8Sink.#encoder.encodeInto(v, bytes.subarray(pos)).written;
      }
      offsets[i + 1] = pos;
    }
    return makeData({
      type: this.type,
      length: values.length,
      nullCount: nulls,
      nullBitmap: nulls > 0 ? validity : null,
      valueOffsets: offsets,
      data: bytes.slice(0, pos),
    });
  }
}

function grow(bytes: Uint8Array, needed: number): Uint8Array {
  const next = new Uint8Array(Math.max(bytes.length * 2, needed));
  next.set(bytes);
  return next;
}

// Booleans and bytes: Arrow's builders handle bit packing and offsets.
class BuilderSink implements ArrowColumnSink {
  readonly type: DataType;
  readonly #builder: Builder;
  readonly #convert: (v: DuckDBValue) => unknown;

  constructor(type: DataType, convert: (v: DuckDBValue) => unknown = (v) => v) {
    this.type = type;
    this.#builder = makeBuilder({ type, nullValues: [null] });
    this.#convert = convert;
  }

  push(value: DuckDBValue | null): void {
    this.#builder.append(value === null ? null : this.#convert(value));
  }

  flush(): Data {
    return this.#builder.flush();
  }
}
