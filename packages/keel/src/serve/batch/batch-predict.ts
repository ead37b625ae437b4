/**
 * `keel predict`: batch prediction of a file with ONNX Runtime, streamed. DuckDB reads the input
 * chunk by chunk; rows are gathered into batches of `batchSize`, predicted through @keel/runtime
 * (the same validation as the server; the next batch is read while ONNX Runtime runs), and the
 * predictions are appended to a DuckDB temp table, so the file is never held in JavaScript
 * memory. The output is the input's columns (or `keep`) beside the prediction columns, written to
 * a temp file and renamed: a failure leaves no partial output.
 */
import type { DuckDBDataChunk, DuckDBType, DuckDBVector } from "@duckdb/node-api";
import { type KeelModel, loadModel, type Prediction, type SignatureInput } from "@keel/runtime";
import { writeAtomically } from "../../data/engine/atomic-output.js";
import { columnKind, numericExpression } from "../../data/engine/column-kind.js";
import { DataSession } from "../../data/engine/duckdb-session.js";
import { sqlIdent } from "../../data/engine/sql-text.js";
import type { ProgressSink } from "../../data/versioning/progress-sink.js";
import { invalidParam, isKeelError, KeelError } from "../../errors.js";
import { type PredictionColumn, predictionColumns } from "./prediction-columns.js";

/** Options of {@link batchPredict}. */
export interface BatchPredictOptions {
  /** Folder of the model package. */
  readonly modelDir: string;
  /** Input data file (Parquet, CSV, JSON, Arrow...). */
  readonly input: string;
  /** Output file; the format follows its extension. */
  readonly output: string;
  /** Rows per ONNX Runtime run (default 65,536). */
  readonly batchSize?: number | undefined;
  /** Input columns to copy to the output (default all). */
  readonly keep?: readonly string[] | undefined;
  /** Progress in rows (the CLI draws a bar on a TTY). */
  readonly progress?: ProgressSink | undefined;
}

/** What {@link batchPredict} did. */
export interface BatchPredictResult {
  /** Rows predicted. */
  readonly rows: number;
  /** Wall time in seconds. */
  readonly seconds: number;
  /** Rows per second. */
  readonly rowsPerSecond: number;
  /** The output file. */
  readonly output: string;
  /** Output columns, in order. */
  readonly columns: readonly string[];
}

/** Default rows per ONNX Runtime run. */
export const DEFAULT_PREDICT_BATCH = 65_536;

// DuckDB's vector size: appended chunks hold at most this many rows.
const CHUNK_ROWS = 2048;

/** Checks the file's columns against the signature; one error lists every problem. */
function checkColumns(file: string, inputs: readonly SignatureInput[], columns: Map<string, string>): void {
  const problems: string[] = [];
  for (const inp of inputs) {
    const type = columns.get(inp.name);
    if (type === undefined) {
      problems.push(`column '${inp.name}' (${inp.type}) is missing`);
      continue;
    }
    const kind = columnKind(type);
    const fits =
      inp.type === "string"
        ? kind === "string"
        : inp.type === "datetime"
          ? kind === "datetime"
          : kind === "numeric" || kind === "boolean";
    if (!fits) problems.push(`column '${inp.name}' is ${type} but the model expects ${inp.type}`);
  }
  if (problems.length > 0) {
    throw invalidParam(
      `${file} does not match the model's signature: ${problems.join("; ")}. The file has: ${[...columns.keys()].join(", ")}`,
    );
  }
}

/** One batch of input columns being filled from DuckDB chunks. */
class BatchBuffer {
  readonly columns: Record<string, Float64Array | (string | null)[]> = {};
  n = 0;

  constructor(
    readonly inputs: readonly SignatureInput[],
    readonly size: number,
  ) {
    for (const inp of inputs) this.columns[inp.name] = inp.type === "string" ? [] : new Float64Array(size);
  }

  /** Copies rows `[from, from + count)` of `chunk`; returns how many fit. */
  take(chunk: DuckDBDataChunk, from: number, count: number): number {
    const m = Math.min(count, this.size - this.n);
    this.inputs.forEach((inp, c) => {
      const vector = chunk.getColumnVector(c) as DuckDBVector<number | string>;
      const col = this.columns[inp.name]!;
      if (col instanceof Float64Array) {
        for (let r = 0; r < m; r++)
          col[this.n + r] = (vector.getItem(from + r) as number | null) ?? Number.NaN;
      } else {
        for (let r = 0; r < m; r++) col.push(vector.getItem(from + r) as string | null);
      }
    });
    this.n += m;
    return m;
  }

  /** The filled part, as the columns @keel/runtime takes. */
  input(): Record<string, ArrayLike<unknown>> {
    const out: Record<string, ArrayLike<unknown>> = {};
    for (const [k, v] of Object.entries(this.columns))
      out[k] = v instanceof Float64Array ? v.subarray(0, this.n) : v;
    return out;
  }
}

async function duckTypes(cols: readonly PredictionColumn[]): Promise<DuckDBType[]> {
  const { BOOLEAN, DOUBLE, FLOAT, VARCHAR } = await import("@duckdb/node-api");
  const map = { BOOLEAN, DOUBLE, FLOAT, VARCHAR };
  return cols.map((c) => map[c.type]);
}

/** Predicts `options.input` into `options.output`; see the module comment. */
export async function batchPredict(options: BatchPredictOptions): Promise<BatchPredictResult> {
  const t0 = performance.now();
  const batchSize = options.batchSize ?? DEFAULT_PREDICT_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw invalidParam(`--batch must be an integer >= 1, got ${batchSize}`);
  const model = await loadModel(options.modelDir);
  const session = await DataSession.open();
  try {
    const rel = await session.relationFrom(options.input);
    const described = await session.describe(rel);
    const types = new Map(described.map((c) => [c.name, c.type]));
    const inputs = model.signature.inputs;
    checkColumns(options.input, inputs, types);
    const keep = options.keep ?? described.map((c) => c.name);
    const unknown = keep.filter((k) => !types.has(k));
    if (unknown.length > 0) {
      throw invalidParam(
        `--keep names column(s) ${unknown.join(", ")} that ${options.input} does not have; it has: ${[...types.keys()].join(", ")}`,
      );
    }
    const outCols = predictionColumns(model.manifest.task, model.manifest.classLabels ?? []);
    const clash = outCols.filter((c) => keep.includes(c.name)).map((c) => c.name);
    if (clash.length > 0) {
      throw invalidParam(
        `${options.input} already has column(s) ${clash.join(", ")}, which keel predict writes; choose the input columns to copy with --keep`,
      );
    }
    const [{ n }] = (await session.query(`SELECT count(*)::DOUBLE AS n FROM ${rel}`)) as [{ n: number }];
    await session.run(
      `CREATE TEMP TABLE keel_predictions (${outCols.map((c) => `${sqlIdent(c.name)} ${c.type}`).join(", ")})`,
    );
    options.progress?.start(n, "predict");
    try {
      await predictInto(session, rel, model, inputs, types, outCols, batchSize, options);
    } finally {
      options.progress?.stop();
    }
    const select = `SELECT ${[...keep.map((k) => `i.${sqlIdent(k)}`), ...outCols.map((c) => `p.${sqlIdent(c.name)}`)].join(", ")}
      FROM ${rel} AS i POSITIONAL JOIN keel_predictions AS p`;
    await writeAtomically(options.output, (tmp) => session.writeRelation(select, tmp));
    const seconds = (performance.now() - t0) / 1000;
    return {
      rows: n,
      seconds,
      rowsPerSecond: n / seconds,
      output: options.output,
      columns: [...keep, ...outCols.map((c) => c.name)],
    };
  } finally {
    session.close();
    await model.release();
  }
}

async function predictInto(
  session: DataSession,
  rel: string,
  model: KeelModel,
  inputs: readonly SignatureInput[],
  types: Map<string, string>,
  outCols: readonly PredictionColumn[],
  batchSize: number,
  options: BatchPredictOptions,
): Promise<void> {
  const projection = inputs.map((inp) => {
    const type = types.get(inp.name)!;
    const kind = columnKind(type);
    const expr = numericExpression(sqlIdent(inp.name), kind, type);
    // NULL as NaN inside DuckDB (what the batch holds for a missing number anyway): a vector
    // without nulls has no validity mask, so reading it skips the driver's per-item check.
    const value = kind === "string" ? expr : `coalesce(${expr}, 'NaN'::DOUBLE)`;
    return `${value} AS ${sqlIdent(inp.name)}`;
  });
  const chunkTypes = await duckTypes(outCols);
  const { DuckDBDataChunk } = await import("@duckdb/node-api");
  const appender = await session.connection.createAppender("keel_predictions");
  const result = await session.connection.stream(`SELECT ${projection.join(", ")} FROM ${rel}`);
  let offset = 0;
  let pending: Promise<void> | undefined;

  const append = (p: Prediction) => {
    for (let s = 0; s < p.nRows; s += CHUNK_ROWS) {
      const e = Math.min(p.nRows, s + CHUNK_ROWS);
      const chunk = DuckDBDataChunk.create(chunkTypes, e - s);
      for (const [j, c] of outCols.entries()) chunk.setColumnValues(j, c.values(p, s, e));
      appender.appendDataChunk(chunk);
    }
  };
  const run = (batch: BatchBuffer) => {
    const first = offset;
    offset += batch.n;
    const predicted = model.predict(batch.input()).catch((e: unknown) => {
      if (!isKeelError(e)) throw e;
      throw new KeelError(
        e.code,
        `${options.input}, rows ${first}..${first + batch.n - 1} (row numbers below count from ${first}): ${e.message}`,
      );
    });
    const previous = pending;
    pending = (async () => {
      const p = await predicted;
      await previous;
      append(p);
      options.progress?.advance(p.nRows);
    })();
    // Surface a failure at once rather than after reading the rest of the file.
    pending.catch(() => undefined);
  };

  let batch = new BatchBuffer(inputs, batchSize);
  for (
    let chunk = await result.fetchChunk();
    chunk !== null && chunk.rowCount > 0;
    chunk = await result.fetchChunk()
  ) {
    let from = 0;
    while (from < chunk.rowCount) {
      from += batch.take(chunk, from, chunk.rowCount - from);
      if (batch.n === batchSize) {
        // At most one batch in ONNX Runtime while the next is read.
        if (pending) await pending;
        run(batch);
        batch = new BatchBuffer(inputs, batchSize);
      }
    }
  }
  if (batch.n > 0) {
    if (pending) await pending;
    run(batch);
  }
  await pending;
  appender.flushSync();
  appender.closeSync();
}
