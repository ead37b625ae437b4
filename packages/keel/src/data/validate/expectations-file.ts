import { readFile } from "node:fs/promises";
import { type Document, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { invalidParam, notFound } from "../../errors.js";
import {
  EXPECTATION_KINDS,
  EXPECTATION_SCHEMAS,
  type Expectation,
  type ExpectationKind,
  isExpectationKind,
} from "./expectation-kinds.js";

/** A parsed expectations file. */
export interface ExpectationSuite {
  /** The file as the user named it (error messages start with it). */
  readonly source: string;
  /** The expectations, in file order. */
  readonly expectations: readonly Expectation[];
}

/**
 * Reads and validates an expectations file.
 * @throws KeelError RESOURCE_DOES_NOT_EXIST when the file is missing; INVALID_PARAMETER_VALUE
 * naming the file, the path (`expectations[3].between.min`) and the line for anything malformed.
 */
export async function loadExpectations(path: string): Promise<ExpectationSuite> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw notFound(
        `${path}: no such expectations file; draft one with \`keel data infer-expectations DATA --out ${path}\``,
      );
    }
    throw invalidParam(`${path}: cannot read the expectations file (${code ?? String(e)})`);
  }
  return parseExpectations(text, path);
}

/**
 * Parses expectations YAML (`expectations:` then a list of one-key maps such as
 * `- between: {column: temp_max, min: -20, max: 45}`). `source` names the file in errors.
 */
export function parseExpectations(text: string, source: string): ExpectationSuite {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  const [syntaxError] = doc.errors;
  if (syntaxError) throw invalidParam(`${source}: invalid YAML: ${syntaxError.message.split("\n")[0]}`);
  const lineOf = (path: readonly (string | number)[]) => nodeLine(doc, lineCounter, path);
  const fail = (path: readonly (string | number)[], message: string): never => {
    throw invalidParam(`${source}: ${formatPath(path)}${lineSuffix(lineOf(path))}: ${message}`);
  };

  const root: unknown = doc.toJS();
  if (root === null || typeof root !== "object" || Array.isArray(root) || !("expectations" in root)) {
    return fail([], "expected a mapping with an `expectations:` list (see `keel data validate --help`)");
  }
  const extra = Object.keys(root).filter((k) => k !== "expectations");
  if (extra.length > 0) fail([extra[0]!], `unknown key '${extra[0]}'; the file holds only \`expectations:\``);
  const items = (root as { expectations: unknown }).expectations;
  if (!Array.isArray(items) || items.length === 0) {
    return fail(
      ["expectations"],
      "expected a non-empty list of expectations, e.g. `- not_null: {column: id}`",
    );
  }

  const expectations = items.map((item, index): Expectation => {
    const at = ["expectations", index];
    if (item === null || typeof item !== "object" || Array.isArray(item) || Object.keys(item).length !== 1) {
      return fail(at, `expected one expectation as a one-key map, e.g. \`- not_null: {column: id}\``);
    }
    const [kind] = Object.keys(item) as [string];
    if (!isExpectationKind(kind)) {
      return fail(at, `unknown expectation '${kind}'; use one of ${EXPECTATION_KINDS.join(", ")}`);
    }
    const schema: z.ZodType = EXPECTATION_SCHEMAS[kind as ExpectationKind];
    const parsed = schema.safeParse((item as Record<string, unknown>)[kind] ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const message =
        issue.code === "unrecognized_keys"
          ? `unknown key${issue.keys.length > 1 ? "s" : ""} '${issue.keys.join("', '")}' (allowed: ${allowedKeys(schema)})`
          : issue.message;
      return fail([...at, kind, ...(issue.path as (string | number)[])], message);
    }
    return { kind, args: parsed.data, index, line: lineOf(at) } as Expectation;
  });
  return Object.freeze({ source, expectations: Object.freeze(expectations) });
}

function allowedKeys(schema: z.ZodType): string {
  return "shape" in schema ? Object.keys(schema.shape as object).join(", ") : "?";
}

/** `expectations[3].between.min` for a path of keys and indexes. */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return "(top level)";
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** ` (line 12)`, or nothing when the line is unknown. */
export function lineSuffix(line: number | undefined): string {
  return line === undefined ? "" : ` (line ${line})`;
}

/** The line of the deepest node along `path` that exists (an error in a missing key points at its map). */
export function nodeLine(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly (string | number)[],
): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}
