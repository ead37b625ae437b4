import { isKeelError, KeelError } from "../../errors.js";

/**
 * Turns an error thrown by DuckDB into a KeelError whose message names the file (when known),
 * the line (CSV) or the column, and the fix. KeelErrors pass through unchanged.
 */
export function toKeelError(error: unknown, path?: string): KeelError {
  if (isKeelError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const where = path === undefined ? "" : `${path}: `;
  const head = firstParagraph(message);

  const csvLine = /CSV Error on Line: (\d+)/.exec(message);
  if (csvLine) {
    return new KeelError("INVALID_PARAMETER_VALUE", `${where}line ${csvLine[1]}: ${csvReason(message)}`, {
      cause: error,
    });
  }
  if (/No files found that match|Cannot open file|No such file or directory/i.test(message)) {
    return new KeelError("RESOURCE_DOES_NOT_EXIST", `${where}${stripKind(head)}; check the path`, {
      cause: error,
    });
  }
  const typesColumn = /COLUMN_TYPES error: Columns with names: (.*) do not exist/.exec(message);
  if (typesColumn) {
    return new KeelError(
      "INVALID_PARAMETER_VALUE",
      `${where}--schema names column ${typesColumn[1]}, which the file does not have; check the header`,
      { cause: error },
    );
  }
  const column = /Referenced column "([^"]*)" not found[^\n]*(?:\nCandidate bindings: ([^\n]*))?/.exec(
    message,
  );
  if (column) {
    const candidates = column[2] ? `; did you mean ${column[2].trim()}?` : "";
    return new KeelError("INVALID_PARAMETER_VALUE", `${where}unknown column '${column[1]}'${candidates}`, {
      cause: error,
    });
  }
  const table = /Table with name ([^\s]+) does not exist/.exec(message);
  if (table) {
    return new KeelError(
      "RESOURCE_DOES_NOT_EXIST",
      `${where}unknown table ${table[1]}; name a file in quotes, e.g. FROM 'data/train.parquet'`,
      { cause: error },
    );
  }
  if (/^Parser Error/.test(message)) {
    return new KeelError("INVALID_PARAMETER_VALUE", `SQL syntax error: ${stripKind(head)}`, { cause: error });
  }
  if (
    /^(Invalid Input|Conversion|Binder|Catalog|IO|Serialization|Out of Range|Not implemented) Error/.test(
      message,
    )
  ) {
    return new KeelError("INVALID_PARAMETER_VALUE", `${where}${stripKind(head)}`, { cause: error });
  }
  return new KeelError("INTERNAL_ERROR", `${where}data engine error: ${head}`, { cause: error });
}

// DuckDB appends the SQL text and a caret after a blank line; the first paragraph is the news.
function firstParagraph(message: string): string {
  return (message.split("\n\n")[0] ?? message).trim();
}

// "Invalid Input Error: x" -> "x"
function stripKind(text: string): string {
  return text.replace(/^[A-Za-z ]+ Error: /, "");
}

// The reason lines of a CSV error, without the "Possible fixes" and the dialect dump.
function csvReason(message: string): string {
  const lines = message.split("\n").map((l) => l.trim());
  const original = lines
    .find((l) => l.startsWith("Original Line:"))
    ?.slice("Original Line:".length)
    .trim();
  const reason =
    lines.find((l) =>
      /^(Expected Number of Columns|Error when converting|Value with unterminated quote|Invalid unicode)/.test(
        l,
      ),
    ) ??
    lines.find((l, i) => i > 0 && l !== "" && !l.startsWith("Original Line:")) ??
    "malformed row";
  const override = /Error when converting column "([^"]*)"/.exec(message);
  const fix = override ? `; to read it as text pass --schema ${override[1]}=VARCHAR` : "";
  const shown =
    original === undefined
      ? ""
      : ` (row: ${original.length > 80 ? `${original.slice(0, 80)}...` : original})`;
  return `${reason}${shown}${fix}`;
}
