/**
 * Turn a query string or JSON body into a route's typed input, with MLflow's error messages.
 *
 * MLflow's server parses requests through protobuf, which (a) reads GET parameters from the query
 * string, where a repeated field that occurs once looks like a single value, and (b) accepts int64
 * fields as JSON strings. We reproduce both by coercing the raw input against the route's Zod
 * schema before validating it, so the schemas themselves stay plain wire types.
 */
import type { z } from "zod";
import { invalidParam, KeelError } from "../errors.js";

/** Where the raw input came from: query strings need more coercion than JSON bodies. */
export type InputSource = "query" | "body";

const NUMERIC = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const API_DOCS_HINT = "See the API docs for more information about request parameters.";

/** Zod's internal definition, which is how schemas are introspected in Zod 4. */
interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  options?: z.ZodType[];
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Strip wrappers (optional, default, ...) to the schema that describes the value itself. */
function unwrap(schema: z.ZodType): Def {
  let def = defOf(schema);
  while (def.innerType || (def.type === "pipe" && def.in)) {
    def = defOf((def.innerType ?? def.in) as z.ZodType);
  }
  return def;
}

function acceptsNumber(def: Def): boolean {
  if (def.type === "number") return true;
  return def.type === "union" && (def.options ?? []).some((o) => acceptsNumber(unwrap(o)));
}

function acceptsPlainString(def: Def): boolean {
  if (def.type === "string") return true;
  return def.type === "union" && (def.options ?? []).some((o) => acceptsPlainString(unwrap(o)));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Coerces a raw value towards one schema's wire type (see {@link compileCoercer}). */
type Coercer = (value: unknown) => unknown;

/** Compiled coercers per schema and source: routes parse the same few schemas on every request. */
const COERCERS: Record<InputSource, WeakMap<z.ZodType, Coercer>> = {
  query: new WeakMap(),
  body: new WeakMap(),
};

function coercerFor(schema: z.ZodType, source: InputSource): Coercer {
  let coercer = COERCERS[source].get(schema);
  if (coercer === undefined) {
    coercer = compileCoercer(schema, source);
    COERCERS[source].set(schema, coercer);
  }
  return coercer;
}

/**
 * A function coercing values towards `schema`'s wire type; anything it cannot coerce is left for
 * Zod to reject. The schema is inspected once here, not once per value; values that need no
 * change are returned as they are (copy on write), so a big, well-formed JSON body is not copied.
 */
function compileCoercer(schema: z.ZodType, source: InputSource): Coercer {
  const def = unwrap(schema);
  // A query string repeats keys freely; for a single-valued field MLflow takes the first one.
  const first = (value: unknown) => (source === "query" && Array.isArray(value) ? value[0] : value);
  if (def.type === "array") {
    const element = coercerFor(def.element as z.ZodType, source);
    return (value) => {
      if (value === undefined || value === null) return undefined;
      const items: unknown[] = Array.isArray(value) ? value : [value];
      let out: unknown[] | undefined;
      for (let i = 0; i < items.length; i++) {
        const item = element(items[i]);
        if (out === undefined && item !== items[i]) out = items.slice(0, i);
        out?.push(item);
      }
      return out ?? items;
    };
  }
  if (def.type === "object") {
    const fields = Object.entries(def.shape ?? {}).map(
      ([key, field]) => [key, coercerFor(field, source)] as const,
    );
    return (value) => {
      if (value === undefined || value === null) return undefined;
      const single = first(value);
      if (!isPlainObject(single)) return single;
      let out: Record<string, unknown> | undefined;
      for (const [key, field] of fields) {
        const raw = single[key];
        const coerced = field(raw);
        if (coerced !== raw) {
          out ??= { ...single };
          out[key] = coerced;
        }
      }
      return out ?? single;
    };
  }
  const toNumber = acceptsNumber(def) && !acceptsPlainString(def);
  const toBoolean = def.type === "boolean";
  return (value) => {
    if (value === undefined || value === null) return undefined;
    const single = first(value);
    if (typeof single === "string") {
      if (toNumber && NUMERIC.test(single)) return Number(single);
      if (toBoolean && (single === "true" || single === "false")) return single === "true";
    }
    return single;
  };
}

/** `["metrics", 0, "key"]` -> `metrics[0].key`, as MLflow names nested fields. */
function fieldPath(path: PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join("");
}

function show(v: unknown): string {
  const s = typeof v === "string" ? `'${v}'` : JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 100 ? `${s.slice(0, 100)}...` : s;
}

function kindOf(v: unknown): string {
  return Array.isArray(v) ? "array" : v === null ? "null" : typeof v;
}

/** What the schema expected, in words, for one Zod issue. */
function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return `expected ${issue.expected}, got ${kindOf(issue.input)}`;
    case "too_big":
      return issue.origin === "string" || issue.origin === "array"
        ? `must have at most ${issue.maximum} ${issue.origin === "string" ? "characters" : "items"}`
        : `must be at most ${issue.maximum}`;
    case "too_small":
      return issue.origin === "string" || issue.origin === "array"
        ? `must have at least ${issue.minimum} ${issue.origin === "string" ? "characters" : "items"}`
        : `must be at least ${issue.minimum}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_union": {
      const options = issue.errors.flat().map((e) =>
        expectation(e)
          .replace(/^expected /, "")
          .replace(/, got .*$/, ""),
      );
      return `expected ${[...new Set(options)].join(" or ")}`;
    }
    default:
      return issue.message;
  }
}

/** One MLflow-style message for the first problem Zod found. */
export function issueToError(issue: z.core.$ZodIssue): KeelError {
  const name = fieldPath(issue.path);
  const missing = issue.input === undefined || (issue.code === "too_small" && issue.input === "");
  if (missing) return invalidParam(`Missing value for required parameter '${name}'. ${API_DOCS_HINT}`);
  return invalidParam(
    `Invalid value ${show(issue.input)} for parameter '${name}' supplied: ${expectation(issue)}. ${API_DOCS_HINT}`,
  );
}

/**
 * Parse a request's raw input (a query object or a JSON body) with a route schema.
 * @throws KeelError MALFORMED_REQUEST when the body is not a JSON object;
 *   INVALID_PARAMETER_VALUE naming the first missing or invalid field otherwise.
 */
export function parseRequest<S extends z.ZodType>(schema: S, raw: unknown, source: InputSource): z.output<S> {
  const input = raw === undefined || raw === null || raw === "" ? {} : raw;
  if (!isPlainObject(input)) {
    throw new KeelError(
      "MALFORMED_REQUEST",
      `The request ${source === "query" ? "query string" : "body"} must be a JSON object of parameters, got ${kindOf(input)}.`,
    );
  }
  let coerced = coercerFor(schema, source)(input) as Record<string, unknown>;
  // Older MLflow clients send `run_uuid` where newer ones send `run_id` (copied: `coerced` may be the input).
  if (coerced.run_id === undefined && typeof coerced.run_uuid === "string") {
    coerced = { ...coerced, run_id: coerced.run_uuid };
  }
  const result = schema.safeParse(coerced, { reportInput: true });
  if (!result.success) throw issueToError(result.error.issues[0] as z.core.$ZodIssue);
  return result.data;
}
