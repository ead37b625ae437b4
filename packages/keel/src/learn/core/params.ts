import type { z } from "zod";
import { invalidParam } from "../../errors.js";

/**
 * Validates `params` with `schema`; the KeelError names the estimator, the parameter, the value
 * and what was expected, e.g. `LogisticRegression param 'C' = -1: Too small: expected number to be >0`.
 */
export function parseParams<P>(typeName: string, schema: z.ZodType<P>, params: unknown): P {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const messages = result.error.issues.map((issue) => {
    const key = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      return `unknown parameter(s) ${issue.keys.map((k) => `'${k}'`).join(", ")}`;
    }
    const value = key === "" ? params : getPath(params, issue.path);
    return `param '${key}' = ${describe(value)}: ${issue.message}`;
  });
  throw invalidParam(`Invalid ${typeName} parameters: ${messages.join("; ")}`);
}

function getPath(obj: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = obj;
  for (const key of path)
    cur = cur && typeof cur === "object" ? (cur as Record<PropertyKey, unknown>)[key] : undefined;
  return cur;
}

function describe(v: unknown): string {
  if (typeof v === "object" && v !== null) return v.constructor?.name ?? "object";
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
