/**
 * `${...}` interpolation with DVC's rules: `${train.lr}`, `${models[0]}`, `${item}` / `${key}`
 * inside `do:`, `\${` for a literal `${`. A string that is exactly one `${x}` keeps x's type (a
 * list for `foreach: ${models}`, a number for `with: {test: ${split.test}}`); elsewhere values
 * must be strings, numbers or booleans, except in `cmd`, where a map expands to
 * `--key value` flags (DVC's dict unpacking: true -> `--key`, false -> nothing, a list -> `--key a b`).
 */

/** Why a template could not be resolved; the loader adds the file and key path. */
export class InterpolationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InterpolationError";
  }
}

/** Values templates can see, and which params file each top-level name came from. */
export interface VarContext {
  /** Merged variables (params.yaml, then `vars:`). */
  readonly values: Readonly<Record<string, unknown>>;
  /** Top-level name -> the params file it came from (absent for inline `vars:`). */
  readonly origins: ReadonlyMap<string, string>;
  /** Loop variables (`item`, `key`), looked up first. */
  readonly locals?: Readonly<Record<string, unknown>>;
}

/** A value read from a params file through interpolation (tracked like a listed param). */
export interface ParamUse {
  file: string;
  /** Dotted key, list indexes as numbers: `models.0.name`. */
  key: string;
}

/** Where a template is used: `cmd` allows map unpacking. */
export type TemplateSite = "cmd" | "value";

type Segment = { text: string } | { expr: string };

const OPEN = "${";

/** Split a template into literal text and `${expr}` parts; `\${` is literal text. */
export function parseTemplate(s: string): Segment[] {
  const out: Segment[] = [];
  let text = "";
  let i = 0;
  while (i < s.length) {
    if (s.startsWith(`\\${OPEN}`, i)) {
      text += OPEN;
      i += 3;
      continue;
    }
    if (!s.startsWith(OPEN, i)) {
      text += s[i];
      i++;
      continue;
    }
    const end = s.indexOf("}", i + 2);
    if (end < 0)
      throw new InterpolationError(
        `unterminated '\${' in ${JSON.stringify(s)}; close it with '}' or write '\\\${' for a literal`,
      );
    const expr = s.slice(i + 2, end).trim();
    if (expr === "") throw new InterpolationError(`empty '\${}' in ${JSON.stringify(s)}`);
    if (text !== "") out.push({ text });
    text = "";
    out.push({ expr });
    i = end + 1;
  }
  if (text !== "") out.push({ text });
  return out;
}

/** True when `s` holds at least one `${...}` (escaped ones do not count). */
export function hasTemplate(s: string): boolean {
  return parseTemplate(s).some((seg) => "expr" in seg);
}

/** `a.b[0].c` -> ["a", "b", 0, "c"]. */
export function parseKeyPath(expr: string): (string | number)[] {
  const parts: (string | number)[] = [];
  const re = /([^.[\]\s]+)|\[(\d+)\]|(\.)/gy;
  let m: RegExpExecArray | null;
  let expectName = true;
  let pos = 0;
  while (pos < expr.length) {
    re.lastIndex = pos;
    m = re.exec(expr);
    if (m === null)
      throw new InterpolationError(
        `bad variable name '${expr}': use names joined by '.', and [N] for list items`,
      );
    pos = re.lastIndex;
    if (m[3] !== undefined) {
      if (expectName) throw new InterpolationError(`bad variable name '${expr}': empty part`);
      expectName = true;
    } else if (m[2] !== undefined) {
      if (parts.length === 0)
        throw new InterpolationError(`bad variable name '${expr}': starts with an index`);
      parts.push(Number(m[2]));
      expectName = false;
    } else {
      const name = m[1] as string;
      if (!expectName) throw new InterpolationError(`bad variable name '${expr}'`);
      parts.push(/^\d+$/.test(name) && parts.length > 0 ? Number(name) : name);
      expectName = false;
    }
  }
  if (expectName) throw new InterpolationError(`bad variable name '${expr}': ends with '.'`);
  return parts;
}

/** The value at `parts` inside `root`, or `undefined` (with how far the walk got) when absent. */
export function walk(
  root: unknown,
  parts: readonly (string | number)[],
): { found: boolean; value: unknown; depth: number } {
  let v: unknown = root;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as string | number;
    if (Array.isArray(v) && typeof p === "number" && p < v.length) v = v[p];
    else if (v !== null && typeof v === "object" && !Array.isArray(v) && Object.hasOwn(v, String(p)))
      v = (v as Record<string, unknown>)[String(p)];
    else return { found: false, value: undefined, depth: i };
  }
  return { found: true, value: v, depth: parts.length };
}

/** Look a `${expr}` up; records a {@link ParamUse} when it comes from a params file. */
function lookup(ctx: VarContext, expr: string, used: ParamUse[]): unknown {
  const parts = parseKeyPath(expr);
  const head = String(parts[0]);
  const fromLocals = ctx.locals !== undefined && Object.hasOwn(ctx.locals, head);
  const r = walk(fromLocals ? ctx.locals : ctx.values, parts);
  if (!r.found) {
    const known = Object.keys({ ...ctx.values, ...ctx.locals }).sort();
    const missing = parts.slice(0, r.depth + 1).join(".");
    throw new InterpolationError(
      r.depth === 0
        ? `unknown variable '${expr}'${known.length ? ` (known: ${known.slice(0, 20).join(", ")})` : " (no params.yaml or vars: defined)"}`
        : `'${expr}': '${missing}' is not defined`,
    );
  }
  const file = fromLocals ? undefined : ctx.origins.get(head);
  if (file !== undefined) used.push({ file, key: parts.join(".") });
  return r.value;
}

/** Text of a value spliced into a string. */
function spliced(value: unknown, expr: string, site: TemplateSite): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (site === "cmd" && value !== null && typeof value === "object" && !Array.isArray(value))
    return unpack(value as Record<string, unknown>, expr);
  const kind = value === null ? "null" : Array.isArray(value) ? "a list" : "a map";
  throw new InterpolationError(
    `'\${${expr}}' is ${kind}; only strings, numbers and booleans can be joined into text${site === "cmd" ? "" : " (maps expand to flags only in cmd)"}`,
  );
}

/** DVC's dict unpacking in `cmd`: `{lr: 0.1, fast: true, layers: [1, 2]}` -> `--lr 0.1 --fast --layers 1 2`. */
function unpack(map: Record<string, unknown>, expr: string): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(map)) {
    if (v === true) parts.push(`--${k}`);
    else if (v === false || v === null) continue;
    else if (Array.isArray(v)) parts.push(`--${k}`, ...v.map((x) => spliced(x, `${expr}.${k}`, "value")));
    else parts.push(`--${k}`, spliced(v, `${expr}.${k}`, "value"));
  }
  return parts.join(" ");
}

/**
 * Resolve the templates of one string.
 * @returns the resolved value (typed when the string is exactly one `${x}`) and the params used.
 * @throws InterpolationError with a message naming the variable.
 */
export function resolveString(
  s: string,
  ctx: VarContext,
  site: TemplateSite = "value",
): { value: unknown; used: ParamUse[] } {
  const segments = parseTemplate(s);
  const used: ParamUse[] = [];
  const only = segments[0];
  if (segments.length === 1 && only !== undefined && "expr" in only) {
    const value = lookup(ctx, only.expr, used);
    return { value: site === "cmd" ? spliced(value, only.expr, site) : value, used };
  }
  const text = segments
    .map((seg) => ("text" in seg ? seg.text : spliced(lookup(ctx, seg.expr, used), seg.expr, site)))
    .join("");
  return { value: text, used };
}
