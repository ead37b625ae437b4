import { createWriteStream } from "node:fs";
import { extname } from "node:path";
import { finished } from "node:stream/promises";
import {
  Field,
  makeData,
  RecordBatch,
  RecordBatchFileWriter,
  RecordBatchStreamWriter,
  Schema,
  Struct,
} from "apache-arrow";
import type { DataSession } from "../engine/duckdb-session.js";
import { sqlIdent } from "../engine/sql-text.js";
import { arrowCastFor, arrowSinkFor } from "./duckdb-to-arrow.js";

// Rows per Arrow record batch: 32 DuckDB chunks, large enough to amortise per-batch overhead.
const BATCH_ROWS = 65_536;

/**
 * Writes the result of `sql` to `outPath` as Arrow IPC: the file format for `.arrow`/`.feather`,
 * the stream format for `.arrows`. Record batches are streamed to disk as they fill. Returns the
 * number of rows written.
 */
export async function writeArrowFile(session: DataSession, sql: string, outPath: string): Promise<number> {
  const columns = await session.describe(sql);
  const projection = columns.map((c) => {
    const cast = arrowCastFor(c.type);
    const ident = sqlIdent(c.name);
    return cast === undefined ? ident : `CAST(${ident} AS ${cast}) AS ${ident}`;
  });
  const result = await session.connection.stream(`SELECT ${projection.join(", ")} FROM (${sql}) AS keel_q`);
  const sinks = result.columnTypes().map((t) => arrowSinkFor(t, BATCH_ROWS));
  const schema = new Schema(columns.map((c, i) => new Field(c.name, sinks[i]?.type ?? failSink(), true)));
  const writer =
    extname(outPath).toLowerCase() === ".arrows"
      ? new RecordBatchStreamWriter()
      : new RecordBatchFileWriter();
  const out = createWriteStream(outPath);
  writer.toNodeStream().pipe(out);
  writer.reset(undefined, schema);

  let pending = 0;
  let written = 0;
  const emit = (): void => {
    const children = sinks.map((s) => s.flush());
    const struct = makeData({ type: new Struct(schema.fields), length: pending, nullCount: 0, children });
    writer.write(new RecordBatch(schema, struct));
    written += pending;
    pending = 0;
  };
  for (
    let chunk = await result.fetchChunk();
    chunk !== null && chunk.rowCount > 0;
    chunk = await result.fetchChunk()
  ) {
    let offset = 0;
    while (offset < chunk.rowCount) {
      const take = Math.min(chunk.rowCount - offset, BATCH_ROWS - pending);
      for (let c = 0; c < sinks.length; c++) {
        const vector = chunk.getColumnVector(c);
        const sink = sinks[c];
        if (sink === undefined) continue;
        for (let r = offset; r < offset + take; r++) sink.push(vector.getItem(r));
      }
      pending += take;
      offset += take;
      if (pending === BATCH_ROWS) emit();
    }
  }
  if (pending > 0 || sinks.length === 0) emit();
  writer.finish();
  await finished(out);
  return written;
}

function failSink(): never {
  throw new Error("internal: column without an Arrow sink");
}
