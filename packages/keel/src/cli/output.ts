/** Printing helpers shared by every command: tables for humans, JSON for machines. */

/** A column of a printed table. */
export interface Column<T> {
  /** Header text. */
  header: string;
  /** Cell text for a row. */
  value: (row: T) => string | number | null | undefined;
  /** Right-align (numbers). */
  align?: "left" | "right";
  /** Truncate cells to this many characters (with an ellipsis). */
  maxWidth?: number;
}

/** Format a cell: numbers get up to 6 significant digits, null/undefined a dash. */
export function formatCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined || v === "") return "-";
  if (typeof v === "number") {
    if (Number.isInteger(v)) return String(v);
    if (!Number.isFinite(v)) return String(v);
    return Number(v.toPrecision(6)).toString();
  }
  return v;
}

function truncate(s: string, max: number | undefined): string {
  if (max === undefined || s.length <= max) return s;
  return `${s.slice(0, Math.max(1, max - 1))}…`;
}

/** Render rows as an aligned text table (header, rule, rows). */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) =>
    columns.map((c) => truncate(formatCell(c.value(r)).replace(/\s+/g, " "), c.maxWidth)),
  );
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i]!.length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => (columns[i]!.align === "right" ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const out = [line(columns.map((c) => c.header)), widths.map((w) => "─".repeat(w)).join("  ")];
  for (const row of cells) out.push(line(row));
  return out.join("\n");
}

/** Print a table, or a friendly line when there are no rows. */
export function printTable<T>(rows: readonly T[], columns: readonly Column<T>[], empty = "(none)"): void {
  process.stdout.write(`${rows.length === 0 ? empty : renderTable(rows, columns)}\n`);
}

/** Print a value as pretty JSON (NaN/Infinity become strings, JSON has no such numbers). */
export function printJson(value: unknown): void {
  process.stdout.write(
    `${JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v), 2)}\n`,
  );
}

/** Print `key: value` lines with aligned keys. */
export function printFields(fields: Record<string, string | number | null | undefined>): void {
  const width = Math.max(...Object.keys(fields).map((k) => k.length));
  for (const [k, v] of Object.entries(fields)) {
    process.stdout.write(`${`${k}:`.padEnd(width + 2)}${formatCell(v)}\n`);
  }
}

/** ISO-like local time for a ms timestamp, or a dash. */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "-";
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Human duration between two ms timestamps. */
export function formatDuration(startMs: number, endMs: number | null | undefined): string {
  if (endMs === null || endMs === undefined) return "-";
  const s = (endMs - startMs) / 1000;
  if (s < 1) return `${Math.round(s * 1000)}ms`;
  if (s < 60) return `${s.toFixed(1)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${Math.round(s % 60)}s`;
  return `${Math.floor(s / 3600)}h${Math.round((s % 3600) / 60)}m`;
}
