import { z } from "zod";
import { LOGICAL_TYPES } from "./logical-types.js";

/**
 * The expectations an expectations file may list, named after Great Expectations' shorter
 * aliases (`not_null` is `expect_column_values_to_not_be_null`), with one Zod schema each.
 */

const column = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? "missing: give the column name, e.g. {column: delay}"
        : "give the column name as text",
  })
  .min(1, "give the column name");
// GE's `mostly`: the share of (non-null) rows that must pass; 1 means every row.
const mostly = z.number().min(0).max(1).default(1);
// Bounds compare with the column's own type: numbers, or ISO strings for dates and timestamps.
const bound = z.union([z.number(), z.string()], {
  error: "give a number, or an ISO date or timestamp string for date/timestamp columns",
});
const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** At least one bound, and min <= max when both are numbers. */
function bounded<T extends z.ZodType<{ min?: unknown; max?: unknown }>>(schema: T): T {
  return schema
    .refine((v) => v.min !== undefined || v.max !== undefined, { message: "give min, max or both" })
    .refine((v) => typeof v.min !== "number" || typeof v.max !== "number" || v.min <= v.max, {
      message: "min must be <= max",
    }) as unknown as T;
}

/** Argument schema of every expectation kind. */
export const EXPECTATION_SCHEMAS = {
  column_exists: z.strictObject({ column }),
  column_type: z.strictObject({ column, type: z.enum(LOGICAL_TYPES) }),
  not_null: z.strictObject({ column, mostly }),
  unique: z.strictObject({ column, mostly }),
  in_set: z.strictObject({ column, values: z.array(scalar).min(1, "list at least one value"), mostly }),
  between: bounded(z.strictObject({ column, min: bound.optional(), max: bound.optional(), mostly })),
  regex: z.strictObject({ column, pattern: z.string().min(1, "give a pattern"), mostly }),
  row_count_between: bounded(
    z.strictObject({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() }),
  ),
  mean_between: bounded(z.strictObject({ column, min: z.number().optional(), max: z.number().optional() })),
  median_between: bounded(z.strictObject({ column, min: z.number().optional(), max: z.number().optional() })),
} as const;

/** The name of an expectation kind, e.g. `between`. */
export type ExpectationKind = keyof typeof EXPECTATION_SCHEMAS;

/** Every kind, in the order the docs list them. */
export const EXPECTATION_KINDS = Object.keys(EXPECTATION_SCHEMAS) as ExpectationKind[];

/** The parsed arguments of each kind (defaults such as `mostly: 1` filled in). */
export type ExpectationArgs = { [K in ExpectationKind]: z.output<(typeof EXPECTATION_SCHEMAS)[K]> };

/** One expectation of a file: its kind, arguments, position and line (for error messages). */
export type Expectation = {
  [K in ExpectationKind]: {
    /** Expectation kind. */
    readonly kind: K;
    /** Validated arguments. */
    readonly args: ExpectationArgs[K];
    /** Position in the file's `expectations` list (0-based, as error paths print it). */
    readonly index: number;
    /** 1-based line in the file, when known. */
    readonly line?: number;
  };
}[ExpectationKind];

/** True when `name` is an expectation kind. */
export function isExpectationKind(name: string): name is ExpectationKind {
  return Object.hasOwn(EXPECTATION_SCHEMAS, name);
}

/** The column an expectation is about, or undefined for table-level ones (row count). */
export function expectationColumn(e: Expectation): string | undefined {
  return "column" in e.args ? e.args.column : undefined;
}
