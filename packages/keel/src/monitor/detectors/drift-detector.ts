/**
 * The detector shape (River's `base/drift_detector.py`): `update(x)` returns `this`, flags are
 * read after each update, a detector resets itself on the update after a drift, and its whole
 * state serializes so it survives a restart.
 */
import { invalidParam } from "../../errors.js";

/** A concept-drift detector over a stream of `X` (numbers, or booleans for binary detectors). */
export interface DriftDetector<X = number> {
  /** Feed one value; flags then describe this update. */
  update(x: X): this;
  /** True when the last update signalled a drift (the next update starts from a fresh state). */
  readonly driftDetected: boolean;
  /** Forget everything seen so far (parameters stay). */
  reset(): this;
  /** The detector's parameters (defaults filled in). */
  getParams(): object;
  /** Type, parameters and complete state; `restoreDetector()` continues from it exactly. */
  toJSON(): DetectorSnapshot;
}

/** A detector that also signals a warning zone before a drift. */
export interface DriftAndWarningDetector<X = number> extends DriftDetector<X> {
  /** True when the last update left the detector in its warning zone. */
  readonly warningDetected: boolean;
}

/** True when `d` signals warnings. */
export function hasWarnings<X>(d: DriftDetector<X>): d is DriftAndWarningDetector<X> {
  return "warningDetected" in d;
}

/** A detector serialized as plain JSON: what `toJSON()` returns and `restoreDetector()` accepts. */
export interface DetectorSnapshot {
  /** Detector name as the CLI spells it (`adwin`, `ddm`, ...). */
  type: string;
  /** Snapshot format version. */
  version: 1;
  /** Parameters (defaults filled in). */
  params: Record<string, unknown>;
  /** Internal state; non-finite numbers and -0 are encoded by `encodeNumber`. */
  state: Record<string, unknown>;
}

/** A JSON-safe number: non-finite values and -0 become strings, so state round-trips exactly. */
export type EncodedNumber = number | "Infinity" | "-Infinity" | "NaN" | "-0";

/** Encode a number so JSON keeps it bit-exact (JSON has no Infinity, NaN or -0). */
export function encodeNumber(v: number): EncodedNumber {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "Infinity";
  if (v === Number.NEGATIVE_INFINITY) return "-Infinity";
  if (Object.is(v, -0)) return "-0";
  return v;
}

/** Decode what {@link encodeNumber} wrote; anything else is a corrupt snapshot. */
export function decodeNumber(v: unknown, field: string): number {
  if (typeof v === "number") return v;
  if (v === "Infinity") return Number.POSITIVE_INFINITY;
  if (v === "-Infinity") return Number.NEGATIVE_INFINITY;
  if (v === "NaN") return Number.NaN;
  if (v === "-0") return -0;
  throw invalidParam(`detector snapshot field '${field}' must be a number, got ${JSON.stringify(v)}`);
}

/** Read and decode one numeric field of a snapshot's state. */
export function stateNumber(state: Record<string, unknown>, field: string): number {
  return decodeNumber(state[field], field);
}
