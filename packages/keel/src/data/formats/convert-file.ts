import { resolve } from "node:path";
import { invalidParam } from "../../errors.js";
import { writeAtomically } from "../engine/atomic-output.js";
import type { ColumnSchema } from "../engine/column-schema.js";
import { type DataFormat, resolveFormat } from "../engine/data-format.js";
import type { ColumnInfo, DataSession, ParquetCompression } from "../engine/duckdb-session.js";
import { type FileReadCost, measureFullRead } from "./read-timing.js";

/** Options of {@link convertFile}. */
export interface ConvertOptions {
  /** Input format; detected from the input extension when omitted. */
  readonly inputFormat?: DataFormat | string;
  /** Output format; detected from the output extension when omitted. */
  readonly format?: DataFormat | string;
  /** Parquet codec (default zstd). */
  readonly compression?: ParquetCompression;
  /** Type overrides for the input's inferred columns. */
  readonly schema?: ColumnSchema;
  /** Measure a full read of input and output (the comparison table); default true. */
  readonly compare?: boolean;
}

/** What {@link convertFile} did. */
export interface ConvertResult {
  /** Input path and format. */
  readonly input: { readonly path: string; readonly format: DataFormat };
  /** Output path and format. */
  readonly output: { readonly path: string; readonly format: DataFormat };
  /** Columns written, with their DuckDB types. */
  readonly columns: readonly ColumnInfo[];
  /** Rows written. */
  readonly rows: number;
  /** Wall time of the conversion itself, in milliseconds. */
  readonly convertMs: number;
  /** Size and full-read time of input then output (empty when `compare` is false). */
  readonly comparison: readonly FileReadCost[];
}

/**
 * Converts a data file between CSV/TSV, JSON, JSONL, Parquet and Arrow IPC. The output is
 * written to a temp file beside it and renamed into place, so it is never half-written.
 */
export async function convertFile(
  session: DataSession,
  inPath: string,
  outPath: string,
  options: ConvertOptions = {},
): Promise<ConvertResult> {
  const inputFormat = resolveFormat(inPath, options.inputFormat);
  const format = resolveFormat(outPath, options.format);
  if (resolve(inPath) === resolve(outPath)) {
    throw invalidParam(`Output ${outPath} is the input file; choose another output path`);
  }
  const started = performance.now();
  const relation = await session.relationFrom(inPath, { format: inputFormat, schema: options.schema });
  const columns = await session.describe(relation);
  const rows = await writeAtomically(outPath, (temp) =>
    session.writeRelation(relation, temp, { format, compression: options.compression }),
  );
  const convertMs = performance.now() - started;
  await session.release(relation);
  const comparison =
    options.compare === false
      ? []
      : [
          await measureFullRead(session, inPath, inputFormat, options.schema),
          await measureFullRead(session, outPath, format),
        ];
  return {
    input: { path: inPath, format: inputFormat },
    output: { path: outPath, format },
    columns,
    rows,
    convertMs,
    comparison,
  };
}
