import { open } from "node:fs/promises";
import type { KeelError } from "../../errors.js";
import { toKeelError } from "../engine/duckdb-errors.js";
import type { DataSession } from "../engine/duckdb-session.js";
import { sqlString } from "../engine/sql-text.js";

/**
 * When DuckDB's CSV sniffer gives up on a file (ragged rows, a stray quote), it reports no line.
 * This re-reads the file strictly, with as many text columns as the header has, so DuckDB's
 * parser names the first bad line. Returns that error, or undefined when the strict read passes.
 */
export async function diagnoseCsv(
  session: DataSession,
  path: string,
  delimiter: string,
): Promise<KeelError | undefined> {
  const header = await firstLine(path);
  const width = countFields(header, delimiter);
  const columns = Array.from({ length: width }, (_, i) => `'c${i}': 'VARCHAR'`).join(", ");
  const sql =
    `SELECT count(*) FROM read_csv(${sqlString(path)}, auto_detect = false, header = true, ` +
    `delim = ${sqlString(delimiter)}, quote = '"', escape = '"', strict_mode = true, columns = {${columns}})`;
  try {
    await session.connection.run(sql);
    return undefined;
  } catch (error) {
    const mapped = toKeelError(error, path);
    return /: line \d+: /.test(mapped.message) ? mapped : undefined;
  }
}

async function firstLine(path: string): Promise<string> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(1 << 16);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString("utf8");
    return text.split(/\r?\n/, 1)[0] ?? "";
  } finally {
    await handle.close();
  }
}

// Fields in one CSV line, honouring double quotes.
function countFields(line: string, delimiter: string): number {
  let fields = 1;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) fields++;
  }
  return fields;
}
