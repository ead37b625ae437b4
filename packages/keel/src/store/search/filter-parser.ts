/**
 * MLflow's search filter and order_by grammars (mlflow/utils/search_utils.py), parsed to the AST in
 * `filter-ast.ts`. One tokenizer and one clause parser serve every search; what each search accepts
 * is data in `search-grammar.ts`.
 *
 * Filter grammar: `comparison (AND comparison)*`, where a comparison is `key op value`:
 * - key: `entity.name` or a bare attribute name; names may be quoted with `"` or backticks and may
 *   contain dots (`metrics.val.loss`, `params."model class"`, ``tags.`a b` ``);
 * - op: `= != < <= > >=` for numbers, `= != LIKE ILIKE` for strings, `IN` / `NOT IN` for lists;
 * - value: a number (`-1.5e-3`), a string in `'single'` or `"double"` quotes (quotes escaped by
 *   doubling or with a backslash), or a parenthesised list of strings.
 * Keywords are case-insensitive. Errors are INVALID_PARAMETER_VALUE naming the 0-based position.
 */
import { invalidParam } from "../../errors.js";
import type { Comparison, ComparisonOp, FilterEntity, OrderBy } from "./filter-ast.js";
import { errorAt, type IdentToken, type SourceLabel, type Token, tokenize } from "./filter-tokenizer.js";
import {
  EXPERIMENT_FILTER,
  EXPERIMENT_ORDER,
  type KeySpec,
  MODEL_FILTER,
  MODEL_ORDER,
  MODEL_VERSION_FILTER,
  MODEL_VERSION_ORDER,
  type OrderGrammar,
  RUN_FILTER,
  RUN_ORDER,
  type SearchGrammar,
} from "./search-grammar.js";

export { likeToRegExp } from "./like-pattern.js";
export { clampMaxResults, decodePageToken, encodePageToken, type MaxResultsBounds } from "./page-token.js";

/** Which search an order_by list belongs to; `registry` accepts any registry key (models or versions). */
export type OrderByContext = "runs" | "experiments" | "models" | "model_versions" | "registry";

/**
 * Parse a `searchRuns` filter. Entities: `metrics.` (numbers), `params.` and `tags.` (strings),
 * `attributes.` (run_id, run_name, status, user_id, artifact_uri as strings, `run_id IN (...)`;
 * start_time, end_time, created as numbers), `datasets.` (name, digest, context; strings or lists).
 * `created` maps to start_time and `"run name"` to run_name. Empty or blank → `[]`.
 * @example parseRunFilter("metrics.acc > 0.9 and params.model = 'gbdt'")
 *   // [{entity:"metric",key:"acc",op:">",value:0.9}, {entity:"param",key:"model",op:"=",value:"gbdt"}]
 */
export function parseRunFilter(filter: string | undefined): Comparison[] {
  return parseFilter(filter, RUN_FILTER);
}

/** Parse a `searchExperiments` filter: `name` (string), `creation_time`, `last_update_time` (numbers), `tags.`. */
export function parseExperimentFilter(filter: string | undefined): Comparison[] {
  return parseFilter(filter, EXPERIMENT_FILTER);
}

/** Parse a `searchRegisteredModels` filter: `name` with `= != LIKE ILIKE`, and `tags.`. */
export function parseModelFilter(filter: string | undefined): Comparison[] {
  return parseFilter(filter, MODEL_FILTER);
}

/**
 * Parse a `searchModelVersions` filter: `name`, `run_id` (also `IN (...)`), `source_path` (strings),
 * `version_number` (number), and `tags.`.
 */
export function parseModelVersionFilter(filter: string | undefined): Comparison[] {
  return parseFilter(filter, MODEL_VERSION_FILTER);
}

const ORDER_GRAMMARS: Record<OrderByContext, OrderGrammar> = {
  runs: RUN_ORDER,
  experiments: EXPERIMENT_ORDER,
  models: MODEL_ORDER,
  model_versions: MODEL_VERSION_ORDER,
  registry: MODEL_VERSION_ORDER,
};

/**
 * Parse order_by clauses such as `metrics.acc DESC`, `params.lr`, `attributes.start_time ASC`,
 * ``metrics.`a b` DESC``; the direction defaults to ASC. Runs order by metrics, params, tags and run
 * attributes; experiments and registry searches by their attributes only (as MLflow).
 * Tie-breakers are the store's job. Invalid clauses raise INVALID_PARAMETER_VALUE naming the clause.
 */
export function parseOrderBy(clauses: readonly string[] | undefined, context: OrderByContext): OrderBy[] {
  const grammar = ORDER_GRAMMARS[context];
  if (!grammar) throw invalidParam(`Unknown order_by context '${context}'`);
  return (clauses ?? []).map((clause) => parseOrderClause(clause, grammar));
}

/** A position in the token list; parsing functions take and return one. */
class Cursor {
  #i = 0;
  constructor(
    readonly tokens: Token[],
    readonly source: SourceLabel,
  ) {}
  /** The current token (the final `eof` repeats forever). */
  get peek(): Token {
    return this.tokens[Math.min(this.#i, this.tokens.length - 1)]!;
  }
  /** Consume and return the current token. */
  next(): Token {
    const t = this.peek;
    this.#i++;
    return t;
  }
  /** Error at `token` (default: the current one). */
  fail(reason: string, token: Token = this.peek): never {
    throw errorAt(this.source, token, reason);
  }
}

/** True for a bare (unquoted, undotted) word equal to `word`, ignoring case. */
function isWord(t: Token, word: string): boolean {
  return (
    t.kind === "ident" &&
    t.parts.length === 1 &&
    t.parts[0]!.quote === null &&
    t.parts[0]!.text.toUpperCase() === word
  );
}

function parseFilter(filter: string | undefined, grammar: SearchGrammar): Comparison[] {
  if (filter === undefined || filter.trim() === "") return [];
  const cur: Cursor = new Cursor(tokenize(filter, { label: "filter" }), { label: "filter" });
  const out: Comparison[] = [];
  for (;;) {
    out.push(parseComparison(cur, grammar));
    const t = cur.next();
    if (t.kind === "eof") return out;
    if (isWord(t, "OR")) cur.fail("OR is not supported, only AND; run one search per alternative", t);
    if (!isWord(t, "AND")) cur.fail("expected AND or the end of the filter", t);
  }
}

function parseComparison(cur: Cursor, grammar: SearchGrammar): Comparison {
  const keyTok = cur.next();
  if (keyTok.kind === "(")
    cur.fail("parentheses are only allowed around IN lists; join clauses with AND", keyTok);
  if (keyTok.kind !== "ident" || isWord(keyTok, "AND") || isWord(keyTok, "OR")) {
    cur.fail(`expected a key such as ${keyExamples(grammar)}`, keyTok);
  }
  const { entity, key } = splitKey(keyTok, grammar.prefixes, cur);
  const spec = keySpec(entity, key, keyTok, grammar, cur);
  const opTok = cur.peek;
  const op = parseOperator(cur);
  if (!spec.ops.includes(op)) {
    const kind = spec.type === "number" ? "is numeric" : "is a string";
    cur.fail(`${keyTok.text} ${kind}; compare it with ${spec.ops.join(", ")}`, opTok);
  }
  const value = op === "IN" || op === "NOT IN" ? parseList(cur) : parseScalar(cur, spec, keyTok);
  return { entity, key: spec.canonical ?? key, op, value };
}

/** A few example keys for "expected a key" messages. */
function keyExamples(grammar: SearchGrammar): string {
  const prefixes = Object.keys(grammar.prefixes).filter((p) => p.endsWith("s"));
  return `${prefixes.map((p) => `${p}.<name>`).join(", ")} or an attribute name`;
}

/**
 * Split an identifier into entity and key, as MLflow does: the first dot separates the entity
 * prefix; a single part is an attribute. The key is either one quoted part or dotted bare words.
 */
function splitKey(
  tok: IdentToken,
  prefixes: Readonly<Record<string, FilterEntity>>,
  cur: Cursor,
): { entity: FilterEntity; key: string } {
  const [head, ...rest] = tok.parts;
  if (rest.length === 0) return { entity: "attribute", key: head!.text };
  const entity = head!.quote === '"' ? undefined : prefixes[head!.text];
  if (!entity) {
    const valid = Object.keys(prefixes).join(", ");
    cur.fail(`unknown entity '${head!.text}'; valid prefixes are ${valid} (quote keys containing dots)`, tok);
  }
  if (rest.length > 1 && rest.some((p) => p.quote !== null)) {
    cur.fail(`quote the whole key after '${head!.text}.', e.g. ${head!.text}."a.b c"`, tok);
  }
  const key = rest.map((p) => p.text).join(".");
  if (key === "") cur.fail("the key is empty", tok);
  return { entity, key };
}

/** The comparison spec of a key, with the canonical attribute name when the key is fixed. */
function keySpec(
  entity: FilterEntity,
  key: string,
  tok: IdentToken,
  grammar: SearchGrammar,
  cur: Cursor,
): KeySpec & { canonical?: string } {
  const fixed = grammar.fixedKeys[entity];
  if (fixed) {
    const spec = Object.hasOwn(fixed, key) ? fixed[key] : undefined;
    if (spec) return spec;
    const valid = Object.keys(fixed).filter((k) => k === k.toLowerCase());
    cur.fail(
      `unknown ${entity} '${key}' for ${grammar.subject} search; valid keys are ${valid.join(", ")}`,
      tok,
    );
  }
  const free = grammar.freeKeys[entity];
  if (!free) cur.fail(`${entity} keys are not searchable in ${grammar.subject} search`, tok);
  return free;
}

const SYMBOL_OPS: ReadonlySet<string> = new Set(["=", "!=", "<", "<=", ">", ">="]);

function parseOperator(cur: Cursor): ComparisonOp {
  const t = cur.next();
  if (t.kind === "op") {
    if (SYMBOL_OPS.has(t.text)) return t.text as ComparisonOp;
    cur.fail(`unsupported operator; use ${t.text === "==" ? "=" : "!="}`, t);
  }
  for (const word of ["LIKE", "ILIKE", "IN"] as const) if (isWord(t, word)) return word;
  if (isWord(t, "NOT")) {
    if (isWord(cur.next(), "IN")) return "NOT IN";
    cur.fail("NOT is only supported as NOT IN", t);
  }
  return cur.fail("expected a comparison operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN)", t);
}

function parseScalar(cur: Cursor, spec: KeySpec, keyTok: IdentToken): number | string {
  const t = cur.next();
  if (spec.type === "number") {
    if (t.kind === "number") return t.value;
    return cur.fail(`${keyTok.text} compares with numbers; expected a number such as 0.5 or -1e-3`, t);
  }
  const str = stringValue(t);
  if (str !== undefined) return str;
  return cur.fail(`${keyTok.text} compares with strings; expected a quoted value such as 'value'`, t);
}

/** The string a token denotes as a value: a single-quoted string or a lone double-quoted word. */
function stringValue(t: Token): string | undefined {
  if (t.kind === "string") return t.value;
  if (t.kind === "ident" && t.parts.length === 1 && t.parts[0]!.quote === '"') return t.parts[0]!.text;
  return undefined;
}

/** `('a', "b", ...)`: a non-empty list of quoted strings. */
function parseList(cur: Cursor): string[] {
  const open = cur.next();
  if (open.kind !== "(") cur.fail("expected a parenthesised list of quoted strings, e.g. ('a', 'b')", open);
  const values: string[] = [];
  for (;;) {
    const t = cur.next();
    const str = stringValue(t);
    if (str === undefined) {
      const reason = t.kind === ")" && values.length === 0 ? "the list is empty" : "expected a quoted string";
      cur.fail(`${reason}; write IN ('a', 'b')`, t);
    }
    values.push(str);
    const sep = cur.next();
    if (sep.kind === ")") return values;
    if (sep.kind !== ",") cur.fail("expected ',' or ')' in the list", sep);
  }
}

function parseOrderClause(clause: string, grammar: OrderGrammar): OrderBy {
  const source = { label: `order_by clause '${clause}'` };
  if (typeof clause !== "string" || clause.trim() === "") {
    throw invalidParam(`Invalid order_by clause '${String(clause)}': it is empty; write e.g. 'name ASC'`);
  }
  const cur: Cursor = new Cursor(tokenize(clause, source), source);
  const keyTok = cur.next();
  if (keyTok.kind !== "ident") return cur.fail("expected a key such as metrics.acc or start_time", keyTok);
  const { entity, key } = splitKey(keyTok, grammar.prefixes, cur);
  let canonical = key;
  if (entity === "attribute") {
    const found = Object.hasOwn(grammar.attributes, key) ? grammar.attributes[key] : undefined;
    if (!found) {
      const valid = Object.keys(grammar.attributes).filter((k) => k === k.toLowerCase());
      cur.fail(
        `${grammar.subject} cannot be ordered by '${key}'; valid attributes are ${valid.join(", ")}`,
        keyTok,
      );
    }
    canonical = found;
  } else if (!grammar.freeEntities.includes(entity)) {
    cur.fail(`${grammar.subject} cannot be ordered by ${entity} keys`, keyTok);
  }
  let ascending = true;
  const dir = cur.next();
  if (isWord(dir, "DESC")) ascending = false;
  else if (!isWord(dir, "ASC") && dir.kind !== "eof") cur.fail("expected ASC or DESC", dir);
  const end = dir.kind === "eof" ? dir : cur.next();
  if (end.kind !== "eof") cur.fail("expected the end of the clause after ASC/DESC", end);
  return { entity, key: canonical, ascending };
}
