import { createReadStream, existsSync } from "node:fs";
import { extname } from "node:path";
import { createInterface } from "node:readline";
import { invalidParam, notFound } from "../../errors.js";

/** Which column of a stream file to read. */
export interface StreamFileOptions {
  /** Column name (files with a header row) or 1-based position (any file); optional for one-column files. */
  column?: string;
}

/** One value of a stream file and the 1-based line it came from (for error messages). */
export interface StreamValue {
  /** The parsed value. */
  value: number;
  /** 1-based line number in the file. */
  line: number;
  /** The column's name (or `#position` in a file without header). */
  column: string;
}

/**
 * Read one numeric column of a CSV/TSV (or one-value-per-line) file line by line, so a stream of
 * any length runs in constant memory and a bad value is reported with its line. The first line is
 * a header unless every field in it is a number. `true`/`false` read as 1/0. Empty lines are
 * skipped; an empty cell, or one that is not a finite number, is an error naming line and column.
 */
export async function* readStreamColumn(
  path: string,
  options: StreamFileOptions = {},
): AsyncGenerator<StreamValue> {
  if (!existsSync(path)) {
    throw notFound(`${path}: no such file; check the path (relative paths start at ${process.cwd()})`);
  }
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  const sep = extname(path).toLowerCase() === ".tsv" ? "\t" : ",";
  let lineNo = 0;
  let index = -1;
  let name = "";
  for await (const raw of lines) {
    lineNo++;
    if (raw.trim() === "") continue;
    const fields = splitFields(raw, sep);
    if (index < 0) {
      const header = fields.some((f) => parseCell(f) === undefined) ? fields : undefined;
      index = pickColumn(path, header, fields.length, options.column);
      name = header ? header[index]! : `#${index + 1}`;
      if (header) continue;
    }
    const cell = fields[index];
    const value = cell === undefined ? undefined : parseCell(cell);
    if (value === undefined) {
      throw invalidParam(
        `${path} line ${lineNo}: column '${name}' holds ${cell === undefined || cell.trim() === "" ? "no value" : `'${cell}'`}, not a number`,
      );
    }
    yield { value, line: lineNo, column: name };
  }
  if (index < 0)
    throw invalidParam(`${path} is empty: expected one value per line, or a header row and values`);
}

/** Index of the column to read; errors list what the file has. */
function pickColumn(path: string, header: string[] | undefined, width: number, column?: string): number {
  const names = header ?? Array.from({ length: width }, (_, i) => `#${i + 1}`);
  if (column === undefined) {
    if (width === 1) return 0;
    throw invalidParam(`${path} has ${width} columns (${names.join(", ")}); choose one with --column`);
  }
  const byName = header ? header.indexOf(column) : -1;
  if (byName >= 0) return byName;
  const position = Number(column.replace(/^#/, ""));
  if (Number.isInteger(position) && position >= 1 && position <= width) return position - 1;
  throw invalidParam(
    `${path} has no column '${column}'. Columns: ${names.join(", ")} (a name, or a 1-based position)`,
  );
}

/** A cell as a finite number (`true`/`false` as 1/0), or undefined. */
function parseCell(cell: string): number | undefined {
  const t = cell.trim();
  if (t === "") return undefined;
  const lower = t.toLowerCase();
  if (lower === "true") return 1;
  if (lower === "false") return 0;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

/** Split one line into fields; double-quoted fields may hold the separator and "" escapes. */
function splitFields(line: string, sep: string): string[] {
  if (!line.includes('"')) return line.split(sep);
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
