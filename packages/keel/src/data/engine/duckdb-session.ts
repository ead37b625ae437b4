import { access, constants, stat } from "node:fs/promises";
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from "@duckdb/node-api";
import { invalidParam, KeelError, notFound } from "../../errors.js";
import { diagnoseCsv } from "../formats/csv-diagnostics.js";
import { csvSource } from "../formats/csv-source.js";
import { csvDelimiter, readerSql, writerOptions } from "../formats/format-sql.js";
import { readDoubleColumn, readTypedColumns, type TypedColumns } from "./column-reader.js";
import { assertTypeName, type ColumnSchema } from "./column-schema.js";
import { type DataFormat, resolveFormat } from "./data-format.js";
import { toKeelError } from "./duckdb-errors.js";
import { toPlainRow } from "./plain-values.js";
import { sqlIdent, sqlString } from "./sql-text.js";

/** Options of {@link DataSession.relationFrom}. */
export interface RelationOptions {
  /** Format to read as; detected from the extension when omitted. */
  readonly format?: DataFormat | string;
  /** Type overrides for inferred columns (`{ zip: "VARCHAR" }`); unknown columns are an error. */
  readonly schema?: ColumnSchema;
  /**
   * Parse the file once into a temporary table instead of re-reading it on every query: worth it
   * for text formats (CSV, JSON) queried several times, as profiling does. Arrow always is.
   */
  readonly materialize?: boolean;
}

/** Options of {@link DataSession.writeRelation}. */
export interface WriteOptions {
  /** Output format; detected from the output extension when omitted. */
  readonly format?: DataFormat | string;
  /** Parquet compression codec (default zstd); ignored by other formats. */
  readonly compression?: ParquetCompression;
}

/** Parquet codecs offered by `keel data convert --compression`. */
export const PARQUET_COMPRESSIONS = ["zstd", "snappy", "gzip", "uncompressed"] as const;

/** One of {@link PARQUET_COMPRESSIONS}. */
export type ParquetCompression = (typeof PARQUET_COMPRESSIONS)[number];

/** A plain row: bigint becomes number when safe, dates are `Date`, text is `string`. */
export type PlainRow = Record<string, unknown>;

/** One column's name and DuckDB type (as `DESCRIBE` prints it). */
export interface ColumnInfo {
  /** Column name. */
  readonly name: string;
  /** DuckDB type, e.g. `BIGINT`, `VARCHAR`, `TIMESTAMP`. */
  readonly type: string;
}

/** The first rows of a query's result. */
export interface QueryPreview {
  /** Result columns. */
  readonly columns: readonly ColumnInfo[];
  /** At most the requested number of rows. */
  readonly rows: readonly PlainRow[];
  /** True when the result has more rows than were read. */
  readonly truncated: boolean;
}

/**
 * An in-memory DuckDB database with one connection: the data engine behind convert, profile,
 * sql, validate and split. Files are registered as temporary views so every consumer speaks SQL.
 *
 * @example
 * const session = await DataSession.open();
 * try {
 *   const rel = await session.relationFrom("data/train.parquet");
 *   const [row] = await session.query(`SELECT count(*) AS n FROM ${rel}`);
 * } finally {
 *   session.close();
 * }
 */
export class DataSession {
  readonly #instance: DuckDBInstance;
  readonly #connection: DuckDBConnection;
  #nextView = 0;
  // The file behind each registered view, so engine errors can name it.
  readonly #sources = new Map<string, string>();
  // Columns of each registered view: views never change, so DESCRIBE runs once.
  readonly #columns = new Map<string, ColumnInfo[]>();

  private constructor(instance: DuckDBInstance, connection: DuckDBConnection) {
    this.#instance = instance;
    this.#connection = connection;
  }

  /** Open a session, run `fn` with it, and always close it. */
  static async use<T>(fn: (session: DataSession) => Promise<T>): Promise<T> {
    const session = await DataSession.open();
    try {
      return await fn(session);
    } finally {
      session.close();
    }
  }

  /** Opens an in-memory DuckDB (2 threads: the machines have 2 cores). */
  static async open(options: { threads?: number } = {}): Promise<DataSession> {
    // Loaded on first use: the native DuckDB module costs every CLI command ~0.4 s at startup otherwise.
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const instance = await DuckDBInstance.create(":memory:", { threads: String(options.threads ?? 2) });
    const connection = await instance.connect();
    return new DataSession(instance, connection);
  }

  /** The underlying connection, for engine internals (appenders); not for feature code. */
  get connection(): DuckDBConnection {
    return this.#connection;
  }

  /**
   * Registers `path` as a temporary view and returns its quoted name, ready to splice into SQL.
   * Arrow IPC files are loaded into a temporary table (DuckDB's arrow extension is unavailable).
   * @throws KeelError RESOURCE_DOES_NOT_EXIST (missing file), INVALID_PARAMETER_VALUE (unknown
   * format, unreadable or malformed file, bad type or unknown column in `schema`). A failed
   * registration leaves nothing behind.
   */
  async relationFrom(path: string, options: RelationOptions = {}): Promise<string> {
    const format = resolveFormat(path, options.format);
    for (const [column, type] of Object.entries(options.schema ?? {})) assertTypeName(type, column);
    await assertReadableFile(path);
    const name = `keel_rel_${++this.#nextView}`;
    const quoted = sqlIdent(name);
    this.#sources.set(quoted, path);
    try {
      let source = await this.#readerFor(path, format, options.schema, name);
      if (options.materialize && format !== "arrow") {
        const table = sqlIdent(`${name}_data`);
        await this.#connection.run(`CREATE TEMP TABLE ${table} AS SELECT * FROM ${source}`);
        source = table;
      }
      // CSV applies type overrides while parsing; other readers get a CAST.
      const casts = format === "csv" || format === "tsv" ? undefined : options.schema;
      await this.#connection.run(`CREATE TEMP VIEW ${quoted} AS SELECT * FROM ${source}`);
      // Describe now, so a bad file fails here naming the file, and later describes are free.
      let columns = await this.describe(quoted);
      if (casts !== undefined) {
        assertSchemaColumns(path, casts, columns);
        await this.#connection.run(`CREATE OR REPLACE TEMP VIEW ${quoted} AS ${castedSelect(source, casts)}`);
        columns = await this.describe(quoted);
      }
      this.#columns.set(quoted, columns);
    } catch (error) {
      await this.release(quoted).catch(() => undefined);
      if ((format === "csv" || format === "tsv") && /Error when sniffing file/.test(String(error))) {
        throw (await diagnoseCsv(this, path, csvDelimiter(format))) ?? toKeelError(error, path);
      }
      throw toKeelError(error, path);
    }
    return quoted;
  }

  // The table function (or loaded table) that reads `path`.
  async #readerFor(
    path: string,
    format: DataFormat,
    schema: ColumnSchema | undefined,
    name: string,
  ): Promise<string> {
    if (format === "arrow") {
      const table = sqlIdent(`${name}_data`);
      const { loadArrowFile } = await import("../formats/arrow-ipc-reader.js");
      await loadArrowFile(this, path, table);
      return table;
    }
    if (format === "csv" || format === "tsv") return csvSource(this, path, format, schema);
    return readerSql(format, path);
  }

  /** Column names and DuckDB types of a view, table or query (cached for registered views). */
  async describe(sqlOrView: string): Promise<ColumnInfo[]> {
    const cached = this.#columns.get(sqlOrView.trim());
    if (cached !== undefined) return cached.map((c) => ({ ...c }));
    const rows = await this.query(`DESCRIBE ${asSelect(sqlOrView)}`);
    return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  }

  /**
   * Runs `sql` with optional bound parameters (`$1`/`?` positional or `$name` named) and returns
   * plain row objects. For big results use {@link queryColumns} instead.
   */
  async query(sql: string, params?: DuckDBValue[] | Record<string, DuckDBValue>): Promise<PlainRow[]> {
    try {
      const reader = await this.#connection.runAndReadAll(sql, params);
      return reader.getRowObjectsJS().map(toPlainRow);
    } catch (error) {
      throw toKeelError(error, this.#sourceOf(sql));
    }
  }

  /**
   * Runs any statement and reads at most `maxRows` rows of its result (streaming, so a huge
   * result is never materialised). `truncated` says whether more rows exist.
   */
  async queryPreview(sql: string, maxRows: number): Promise<QueryPreview> {
    try {
      const reader = await this.#connection.streamAndReadUntil(sql, maxRows + 1);
      const names = reader.columnNames();
      const types = reader.columnTypes();
      const rows = reader.getRowObjectsJS().map(toPlainRow);
      return {
        columns: names.map((name, i) => ({ name, type: String(types[i]) })),
        rows: rows.slice(0, maxRows),
        truncated: rows.length > maxRows,
      };
    } catch (error) {
      throw toKeelError(error, this.#sourceOf(sql));
    }
  }

  /** Runs a statement that returns no rows worth reading (DDL, COPY). */
  async run(sql: string, params?: DuckDBValue[] | Record<string, DuckDBValue>): Promise<void> {
    try {
      await this.#connection.run(sql, params);
    } catch (error) {
      throw toKeelError(error, this.#sourceOf(sql));
    }
  }

  /**
   * Runs `sql` and returns its columns as typed arrays without building row objects: numbers,
   * booleans and datetimes (epoch ms) as `Float64Array` with NaN for null, text as `string[]`.
   */
  async queryColumns(sql: string): Promise<TypedColumns> {
    try {
      return await readTypedColumns(this, sql);
    } catch (error) {
      throw toKeelError(error, this.#sourceOf(sql));
    }
  }

  /**
   * Runs `sql` (one column) to completion on DuckDB's threads and returns it as doubles, NaN for
   * null: for large numeric columns whose reading should overlap other work.
   */
  async queryDoubles(sql: string): Promise<Float64Array> {
    try {
      return await readDoubleColumn(this, sql);
    } catch (error) {
      throw toKeelError(error, this.#sourceOf(sql));
    }
  }

  /**
   * Writes a view or a query to `outPath` (COPY for CSV/TSV/JSON/JSONL/Parquet, apache-arrow for
   * Arrow IPC) and returns the number of rows written. Writes `outPath` directly: callers
   * wanting atomicity use `writeAtomically`.
   */
  async writeRelation(sqlOrView: string, outPath: string, options: WriteOptions = {}): Promise<number> {
    const format = resolveFormat(outPath, options.format);
    try {
      if (format === "arrow") {
        const { writeArrowFile } = await import("../formats/arrow-ipc-writer.js");
        return await writeArrowFile(this, asSelect(sqlOrView), outPath);
      }
      const copyOptions = writerOptions(format, options.compression);
      const result = await this.#connection.run(
        `COPY (${asSelect(sqlOrView)}) TO ${sqlString(outPath)} (${copyOptions})`,
      );
      return result.rowsChanged;
    } catch (error) {
      throw toKeelError(error, this.#sourceOf(sqlOrView) ?? outPath);
    }
  }

  /** Drops a view made by {@link relationFrom} (and the table behind an Arrow view). */
  async release(relation: string): Promise<void> {
    this.#sources.delete(relation);
    this.#columns.delete(relation);
    await this.run(`DROP VIEW IF EXISTS ${relation}`);
    await this.run(`DROP TABLE IF EXISTS ${sqlIdent(`${unquoteIdent(relation)}_data`)}`);
  }

  /** Closes the connection and the database; the session is unusable afterwards. */
  close(): void {
    this.#connection.closeSync();
    this.#instance.closeSync();
  }

  // The file a statement reads, when it names exactly one registered view (for error messages).
  #sourceOf(sql: string): string | undefined {
    const hits = [...this.#sources].filter(([view]) => sql.includes(view));
    return hits.length === 1 ? hits[0]?.[1] : undefined;
  }
}

function unquoteIdent(quoted: string): string {
  return quoted.slice(1, -1).replaceAll('""', '"');
}

/** A quoted view/table name becomes `SELECT * FROM it`; anything else is taken as a query. */
export function asSelect(sqlOrView: string): string {
  return /^"(?:[^"]|"")+"$/.test(sqlOrView.trim()) ? `SELECT * FROM ${sqlOrView.trim()}` : sqlOrView;
}

// Applies type overrides with SELECT * REPLACE, for readers without a native `types` option.
function castedSelect(source: string, schema: ColumnSchema): string {
  // Type names were checked by assertTypeName on entry: they are the only unquoted text here.
  const casts = Object.entries(schema).map(
    ([col, type]) => `CAST(${sqlIdent(col)} AS ${type}) AS ${sqlIdent(col)}`,
  );
  return `SELECT * REPLACE (${casts.join(", ")}) FROM ${source}`;
}

function assertSchemaColumns(path: string, schema: ColumnSchema, columns: ColumnInfo[]): void {
  const names = new Set(columns.map((c) => c.name));
  for (const col of Object.keys(schema)) {
    if (!names.has(col)) {
      throw invalidParam(
        `${path}: --schema names column '${col}', which the file does not have; columns: ${[...names].join(", ")}`,
      );
    }
  }
}

async function assertReadableFile(path: string): Promise<void> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw notFound(`${path}: no such file; check the path (relative paths start at ${process.cwd()})`);
  }
  if (!info.isFile()) throw invalidParam(`${path}: not a regular file (a directory?); pass a data file`);
  try {
    await access(path, constants.R_OK);
  } catch (error) {
    throw new KeelError("INVALID_PARAMETER_VALUE", `${path}: file is not readable; check its permissions`, {
      cause: error,
    });
  }
}
