/**
 * Checks prediction input against a model signature and encodes it into the tensors the graph
 * takes: float32 for numbers and booleans, float64 epoch milliseconds for datetimes, strings for
 * categories. Every problem (missing column, wrong type, unknown category, missing value where the
 * signature does not allow it) is collected, and one error lists them all.
 */
import type { Signature, SignatureInput } from "./manifest.js";
import { KeelRuntimeError } from "./runtime-error.js";

/** Rows (`[{a: 1, b: "x"}, ...]`) or columns (`{a: [1, 2], b: ["x", "y"]}`). */
export type PredictInput =
  | readonly Readonly<Record<string, unknown>>[]
  | Readonly<Record<string, ArrayLike<unknown>>>;

/** One encoded input column, ready to become an ONNX tensor of shape [n, 1]. */
export type EncodedColumn =
  | { readonly type: "float32"; readonly data: Float32Array }
  | { readonly type: "float64"; readonly data: Float64Array }
  | { readonly type: "string"; readonly data: string[] };

/** Encoded input: row count and one column per signature input, in signature order. */
export interface EncodedInput {
  /** Number of rows. */
  readonly nRows: number;
  /** Encoded columns keyed by input name. */
  readonly columns: ReadonlyMap<string, EncodedColumn>;
}

// How many example rows a problem lists before summarising.
const MAX_ROWS_SHOWN = 5;

/** Collects failing row numbers per (column, problem kind) so messages stay short. */
class ProblemLog {
  readonly #byKey = new Map<string, number[]>();
  readonly #fixed: string[] = [];

  add(message: string): void {
    this.#fixed.push(message);
  }

  row(column: string, what: string, row: number): void {
    const key = `column '${column}': ${what}`;
    const rows = this.#byKey.get(key) ?? [];
    rows.push(row);
    this.#byKey.set(key, rows);
  }

  list(): string[] {
    const perRow = [...this.#byKey].map(([key, rows]) => {
      const shown = rows.slice(0, MAX_ROWS_SHOWN).join(", ");
      const more = rows.length > MAX_ROWS_SHOWN ? ` and ${rows.length - MAX_ROWS_SHOWN} more` : "";
      return `${key} (${rows.length} row${rows.length === 1 ? "" : "s"}: ${shown}${more})`;
    });
    return [...this.#fixed, ...perRow];
  }
}

/** Validates `input` against `signature` and encodes it; throws one error listing every problem. */
export function encodeInput(signature: Signature, input: PredictInput): EncodedInput {
  const log = new ProblemLog();
  const sources = columnSources(signature, input, log);
  const columns = new Map<string, EncodedColumn>();
  const nRows = sources.nRows;
  for (const spec of signature.inputs) {
    const get = sources.get.get(spec.name);
    if (get === undefined) continue;
    columns.set(spec.name, encodeColumn(spec, get, nRows, log));
  }
  const problems = log.list();
  if (nRows === 0 && problems.length === 0) problems.push("input has no rows: pass at least one row");
  if (problems.length > 0) {
    throw new KeelRuntimeError(
      "INVALID_PARAMETER_VALUE",
      `Input does not match the model signature (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n- ${problems.join("\n- ")}`,
      problems,
    );
  }
  return { nRows, columns };
}

interface Sources {
  nRows: number;
  get: Map<string, (i: number) => unknown>;
}

/** Accessors per expected column, for either input layout; logs missing columns and length mismatches. */
function columnSources(signature: Signature, input: PredictInput, log: ProblemLog): Sources {
  const get = new Map<string, (i: number) => unknown>();
  const expected = signature.inputs.map((s) => `${s.name} (${s.type})`).join(", ");
  if (Array.isArray(input)) {
    const rows = input as readonly Readonly<Record<string, unknown>>[];
    for (const spec of signature.inputs) {
      // A column counts as missing only when no row has it; single rows without it hold null.
      if (rows.length > 0 && !rows.some((r) => r !== null && typeof r === "object" && spec.name in r)) {
        log.add(`column '${spec.name}' is missing (expected ${spec.type}); the model needs: ${expected}`);
      } else {
        get.set(spec.name, (i) => rows[i]?.[spec.name]);
      }
    }
    return { nRows: rows.length, get };
  }
  if (input === null || typeof input !== "object") {
    log.add("input must be an array of row objects or an object of column arrays");
    return { nRows: 0, get };
  }
  const cols = input as Readonly<Record<string, ArrayLike<unknown>>>;
  let nRows = -1;
  for (const spec of signature.inputs) {
    const col = cols[spec.name];
    if (col === undefined || col === null || typeof col.length !== "number") {
      log.add(`column '${spec.name}' is missing (expected ${spec.type}); the model needs: ${expected}`);
      continue;
    }
    if (nRows === -1) nRows = col.length;
    else if (col.length !== nRows) {
      log.add(`column '${spec.name}' has ${col.length} values but the other columns have ${nRows}`);
      continue;
    }
    get.set(spec.name, (i) => col[i]);
  }
  return { nRows: Math.max(nRows, 0), get };
}

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));
}

function describe(v: unknown): string {
  return typeof v === "string" ? `string "${v.length > 20 ? `${v.slice(0, 20)}…` : v}"` : typeof v;
}

function encodeColumn(
  spec: SignatureInput,
  get: (i: number) => unknown,
  n: number,
  log: ProblemLog,
): EncodedColumn {
  const missing = (i: number) => {
    if (!spec.nullable) log.row(spec.name, "missing value (null/NaN) but the column is not nullable", i);
  };
  switch (spec.type) {
    case "number":
    case "boolean": {
      const data = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const v = get(i);
        if (isMissing(v)) {
          missing(i);
          data[i] = Number.NaN;
        } else if (typeof v === "number" && (spec.type === "number" || v === 0 || v === 1)) {
          data[i] = v;
        } else if (typeof v === "boolean" && spec.type === "boolean") {
          data[i] = v ? 1 : 0;
        } else {
          log.row(spec.name, `expected ${spec.type}, got ${describe(v)}`, i);
        }
      }
      return { type: "float32", data };
    }
    case "datetime": {
      const data = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = get(i);
        const ms = isMissing(v) ? Number.NaN : toEpochMs(v);
        if (isMissing(v)) missing(i);
        else if (Number.isNaN(ms)) log.row(spec.name, `expected a datetime, got ${describe(v)}`, i);
        data[i] = ms;
      }
      return { type: "float64", data };
    }
    case "string": {
      const data: string[] = new Array(n);
      const known =
        spec.categories && spec.unknownCategory === "error" ? new Set(spec.categories) : undefined;
      for (let i = 0; i < n; i++) {
        const v = get(i);
        if (isMissing(v)) {
          missing(i);
          // The graph treats "" as missing and imputes it (see the string imputer converter).
          data[i] = "";
        } else if (typeof v !== "string") {
          log.row(spec.name, `expected string, got ${describe(v)}`, i);
          data[i] = "";
        } else {
          if (known && !known.has(v)) {
            log.row(spec.name, `unknown category "${v}" (allowed: ${spec.categories!.join(", ")})`, i);
          }
          data[i] = v;
        }
      }
      return { type: "string", data };
    }
  }
}

/**
 * Epoch milliseconds of a Date, a number (already epoch ms) or an ISO-8601 string. Strings
 * without a zone are read as UTC, matching how Keel reads timestamps at training time.
 */
function toEpochMs(v: unknown): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === "number") return Number.isFinite(v) ? v : Number.NaN;
  if (typeof v === "string") {
    const hasZone = /(Z|[+-]\d\d:?\d\d)$/i.test(v.trim());
    const iso = v.trim().replace(" ", "T");
    return Date.parse(hasZone || !iso.includes("T") ? iso : `${iso}Z`);
  }
  return Number.NaN;
}
