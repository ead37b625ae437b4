import { invalidParam } from "../../errors.js";

/** Column name → DuckDB type name (`{ zip: "VARCHAR", day: "DATE" }`): a type-inference override. */
export type ColumnSchema = Readonly<Record<string, string>>;

// A DuckDB type name: a word or two, optional (precision, scale), optional [] for lists.
const TYPE_NAME = /^[A-Za-z][A-Za-z0-9_]*( [A-Za-z][A-Za-z0-9_]*)?(\(\d+(, ?\d+)?\))?(\[\])*$/;

/**
 * Parses `col=TYPE,col2=TYPE2` (the `--schema` option). Commas inside `DECIMAL(10,2)` are kept.
 * @throws KeelError INVALID_PARAMETER_VALUE naming the bad entry and the expected shape.
 */
export function parseColumnSchema(text: string): ColumnSchema {
  const schema: Record<string, string> = {};
  const entries = text.split(/,(?![^()]*\))/).map((e) => e.trim());
  for (const entry of entries) {
    if (entry === "") continue;
    const eq = entry.lastIndexOf("=");
    const column = entry.slice(0, eq).trim();
    const type = entry.slice(eq + 1).trim();
    if (eq <= 0 || column === "" || type === "") {
      throw invalidParam(
        `Invalid --schema entry '${entry}': expected col=TYPE, e.g. --schema zip=VARCHAR,day=DATE`,
      );
    }
    assertTypeName(type, column);
    if (column in schema) throw invalidParam(`Invalid --schema: column '${column}' is given twice`);
    schema[column] = type.toUpperCase();
  }
  if (Object.keys(schema).length === 0) {
    throw invalidParam("Invalid --schema '': expected col=TYPE[,col=TYPE...], e.g. --schema zip=VARCHAR");
  }
  return Object.freeze(schema);
}

/** Throws unless `type` looks like a DuckDB type name (it is spliced into SQL, so this is strict). */
export function assertTypeName(type: string, column: string): void {
  if (!TYPE_NAME.test(type)) {
    throw invalidParam(
      `Invalid type '${type}' for column '${column}': use a DuckDB type such as VARCHAR, BIGINT, DOUBLE, DATE, TIMESTAMP, BOOLEAN, DECIMAL(10,2)`,
    );
  }
}
