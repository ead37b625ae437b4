/**
 * Tokenizer shared by the search filter and order_by parsers. It is context-free: whether a
 * double-quoted word is a key or a string value is decided by the parser from its position.
 */
import { invalidParam, type KeelError } from "../../errors.js";

/** One part of a dotted identifier; `quote` is the quote character it was written with, if any. */
export interface IdentPart {
  text: string;
  quote: '"' | "`" | null;
}

/** A dotted identifier such as `metrics.val.loss`, `params."a b"` or a bare `"run name"`. */
export interface IdentToken {
  kind: "ident";
  pos: number;
  text: string;
  parts: IdentPart[];
}

/** A single-quoted string literal, unescaped. */
export interface StringToken {
  kind: "string";
  pos: number;
  text: string;
  value: string;
}

/** A numeric literal (integer, decimal, optionally negative, optionally with an exponent). */
export interface NumberToken {
  kind: "number";
  pos: number;
  text: string;
  value: number;
}

/** A comparison operator, list punctuation, or the end of input. */
export interface PunctToken {
  kind: "op" | "(" | ")" | "," | ";" | "eof";
  pos: number;
  text: string;
}

/** Any token of the search grammar. */
export type Token = IdentToken | StringToken | NumberToken | PunctToken;

/** Where an error message says the problem is: a filter, or one named order_by clause. */
export interface SourceLabel {
  /** E.g. `filter` or `order_by clause 'metrics.acc DSC'`. */
  label: string;
}

/**
 * Build an INVALID_PARAMETER_VALUE error that names the 0-based position and the token.
 * @example errorAt({ label: "filter" }, tok, "only AND is supported")
 *   // Invalid filter at position 17 near 'OR': only AND is supported
 */
export function errorAt(
  source: SourceLabel,
  token: Pick<Token, "pos" | "kind" | "text">,
  reason: string,
): KeelError {
  const near = token.kind === "eof" ? "end of input" : `'${token.text}'`;
  return invalidParam(`Invalid ${source.label} at position ${token.pos} near ${near}: ${reason}`);
}

// Operators are matched longest first; `==` and `<>` are tokenized so they get a precise error.
const OPERATORS = ["<=", ">=", "!=", "<>", "==", "=", "<", ">"] as const;
const IDENT_CHAR = /[\p{L}\p{N}_$#]/u;
// sqlparse's numeric literals, plus an optional sign on the exponent.
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;

/** Split `text` into tokens; the last token is always `eof`. Throws on unterminated quotes or stray characters. */
export function tokenize(text: string, source: SourceLabel): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/u.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === "'") {
      const { value, end } = readQuoted(text, i, source);
      tokens.push({ kind: "string", pos: start, text: text.slice(start, end), value });
      i = end;
    } else if (ch === "(" || ch === ")" || ch === "," || ch === ";") {
      tokens.push({ kind: ch, pos: start, text: ch });
      i++;
    } else if (isNumberStart(text, i)) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(text)!;
      const end = i + match[0].length;
      if (end < text.length && (IDENT_CHAR.test(text[end]!) || text[end] === ".")) {
        throw errorAt(
          source,
          { kind: "number", pos: start, text: text.slice(start, end + 1) },
          "malformed number",
        );
      }
      tokens.push({ kind: "number", pos: start, text: match[0], value: Number(match[0]) });
      i = end;
    } else if (ch === '"' || ch === "`" || IDENT_CHAR.test(ch)) {
      const { parts, end } = readIdent(text, i, source);
      tokens.push({ kind: "ident", pos: start, text: text.slice(start, end), parts });
      i = end;
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (!op) throw errorAt(source, { kind: "op", pos: start, text: ch }, "unexpected character");
      tokens.push({ kind: "op", pos: start, text: op });
      i += op.length;
    }
  }
  tokens.push({ kind: "eof", pos: text.length, text: "" });
  return tokens;
}

/** A number starts with a digit, `.digit`, or `-` followed by either; `-` alone is not a number. */
function isNumberStart(text: string, i: number): boolean {
  const at = text[i] === "-" ? i + 1 : i;
  return /\d/.test(text[at] ?? "") || (text[at] === "." && /\d/.test(text[at + 1] ?? ""));
}

/** Read one dotted identifier starting at `i`: parts are bare words or quoted with `"` or backticks. */
function readIdent(text: string, start: number, source: SourceLabel): { parts: IdentPart[]; end: number } {
  const parts: IdentPart[] = [];
  let i = start;
  for (;;) {
    const ch = text[i];
    if (ch === '"' || ch === "`") {
      const { value, end } = readQuoted(text, i, source);
      parts.push({ text: value, quote: ch });
      i = end;
    } else if (ch !== undefined && IDENT_CHAR.test(ch)) {
      const from = i;
      while (i < text.length && IDENT_CHAR.test(text[i]!)) i++;
      parts.push({ text: text.slice(from, i), quote: null });
    } else {
      // A dot must be followed by another part: `metrics.` alone is an error.
      throw errorAt(
        source,
        { kind: "ident", pos: start, text: text.slice(start, i) },
        "expected a name after '.'",
      );
    }
    if (text[i] !== ".") return { parts, end: i };
    i++;
  }
}

/**
 * Read a quoted run starting at `text[i]` (the quote). The quote is escaped by doubling it
 * (`'it''s'`) or with a backslash (`'it\'s'`); `\\` is one backslash; other backslashes are literal.
 */
function readQuoted(text: string, i: number, source: SourceLabel): { value: string; end: number } {
  const quote = text[i]!;
  let value = "";
  let j = i + 1;
  while (j < text.length) {
    const ch = text[j]!;
    if (ch === "\\" && (text[j + 1] === quote || text[j + 1] === "\\")) {
      value += text[j + 1];
      j += 2;
    } else if (ch === quote && text[j + 1] === quote) {
      value += quote;
      j += 2;
    } else if (ch === quote) {
      return { value, end: j + 1 };
    } else {
      value += ch;
      j++;
    }
  }
  throw errorAt(
    source,
    { kind: "string", pos: i, text: text.slice(i, i + 20) },
    `unterminated ${quote} quote`,
  );
}
