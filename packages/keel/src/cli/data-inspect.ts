import { stat } from "node:fs/promises";
import type { Command } from "commander";
import { writeAtomically, writeTextFile } from "../data/engine/atomic-output.js";
import { parseColumnSchema } from "../data/engine/column-schema.js";
import { resolveFormat } from "../data/engine/data-format.js";
import { DataSession, PARQUET_COMPRESSIONS, type ParquetCompression } from "../data/engine/duckdb-session.js";
import { prepareUserSql } from "../data/engine/user-sql.js";
import { convertFile } from "../data/formats/convert-file.js";
import type { DatasetProfile } from "../data/profile/dataset-profile.js";
import { profileHtml } from "../data/profile/profile-html.js";
import { profileTable } from "../data/profile/profile-table.js";
import { invalidParam } from "../errors.js";
import { formatBytes } from "../report/format-numbers.js";
import { action, examples, intOption } from "./command-kit.js";
import { printJson, printTable } from "./output.js";

/** `keel data convert|profile|sql`: formats and inspection, added to the `keel data` group. */
export function registerDataInspectCommands(data: Command): void {
  registerConvert(data);
  registerProfile(data);
  registerSql(data);
}

interface ConvertCliOptions {
  format?: string;
  inputFormat?: string;
  compression: string;
  schema?: string;
  compare: boolean;
  json?: boolean;
}

function registerConvert(data: Command): void {
  const cmd = data
    .command("convert <in> <out>")
    .description(
      "convert a data file between CSV, TSV, JSON, JSONL, Parquet and Arrow IPC, then compare size and full-read time",
    )
    .option(
      "--format <format>",
      "output format: csv|tsv|json|jsonl|parquet|arrow (default: from OUT's extension)",
    )
    .option("--input-format <format>", "input format (default: from IN's extension)")
    .option("--compression <codec>", `Parquet compression: ${PARQUET_COMPRESSIONS.join("|")}`, "zstd")
    .option("--schema <col=TYPE,...>", "override inferred column types, e.g. zip=VARCHAR,day=DATE")
    .option("--no-compare", "skip timing a full read of input and output")
    .option("--json", "print the result as JSON");
  examples(
    cmd,
    "keel data convert data/flights.csv data/flights.parquet",
    "keel data convert data/flights.csv data/flights.parquet --compression snappy",
    "keel data convert data/zips.csv data/zips.arrow --schema zip=VARCHAR",
    "keel data convert data/events.jsonl data/events.csv --json",
  );
  cmd.action(
    action(async (input: string, output: string, opts: ConvertCliOptions) => {
      const compression = parseCompression(opts.compression);
      const schema = opts.schema === undefined ? undefined : parseColumnSchema(opts.schema);
      const result = await DataSession.use((session) =>
        withActivity(`converting ${input}`, () =>
          convertFile(session, input, output, {
            format: opts.format,
            inputFormat: opts.inputFormat,
            compression,
            schema,
            compare: opts.compare,
          }),
        ),
      );
      if (opts.json) return printJson(result);
      process.stdout.write(
        `Wrote ${output} (${result.output.format}): ${result.rows} rows, ${result.columns.length} columns in ${ms(result.convertMs)}\n`,
      );
      if (result.comparison.length === 2) {
        process.stdout.write("\n");
        printTable(result.comparison, [
          { header: "FILE", value: (r) => r.path, maxWidth: 60 },
          { header: "FORMAT", value: (r) => r.format },
          { header: "SIZE", value: (r) => formatBytes(r.bytes), align: "right" },
          { header: "READ", value: (r) => ms(r.readMs), align: "right" },
          { header: "ROWS", value: (r) => r.rows, align: "right" },
        ]);
        const [before, after] = result.comparison as [
          (typeof result.comparison)[0],
          (typeof result.comparison)[0],
        ];
        process.stdout.write(
          `\n${after.format} vs ${before.format}: ${ratio(after.bytes, before.bytes)} the size, ` +
            `${ratio(after.readMs, before.readMs)} the full-read time\n`,
        );
      }
    }),
  );
}

interface ProfileCliOptions {
  html?: string;
  json?: boolean;
  sample?: number;
  seed: number;
  format?: string;
}

function registerProfile(data: Command): void {
  const cmd = data
    .command("profile <file>")
    .description(
      "profile a data file: types, missing and distinct counts, min/max/mean/std/quantiles, histograms, top values, warnings",
    )
    .option("--html <report.html>", "also write a self-contained HTML report with one chart per column")
    .option("--sample <n>", "profile a reproducible random sample of n rows", intOption("--sample", 1))
    .option("--seed <n>", "seed of --sample", intOption("--seed", 0), 0)
    .option("--format <format>", "input format (default: from the extension)")
    .option("--json", "print the profile as JSON");
  examples(
    cmd,
    "keel data profile data/flights.parquet",
    "keel data profile data/flights.parquet --html reports/flights-profile.html",
    "keel data profile data/big.csv --sample 100000 --json",
  );
  cmd.action(
    action(async (file: string, opts: ProfileCliOptions) => {
      const format = resolveFormat(file, opts.format);
      const { size } = await stat(file).catch(() => ({ size: undefined }));
      const profile = await DataSession.use((session) =>
        withActivity(`profiling ${file}`, async (step) => {
          step("reading");
          // Text formats are parsed once; the profile's passes then scan the parsed table.
          const relation = await session.relationFrom(file, { format, materialize: format !== "parquet" });
          return profileTable(session, relation, {
            sample: opts.sample,
            seed: opts.seed,
            onProgress: (done, total, name) => step(`${name} (${done}/${total})`),
          });
        }),
      );
      if (opts.html !== undefined) {
        const page = profileHtml(profile, { path: file, bytes: size });
        await writeTextFile(opts.html, page);
      }
      if (opts.json) return printJson({ source: { path: file, format, bytes: size ?? null }, ...profile });
      printProfile(file, profile);
      if (opts.html !== undefined) process.stdout.write(`\nHTML report: ${opts.html}\n`);
    }),
  );
}

function printProfile(file: string, profile: DatasetProfile): void {
  const sample = profile.sample
    ? ` (sample of ${profile.sample.totalRows} rows, seed ${profile.sample.seed})`
    : "";
  process.stdout.write(`${file}: ${profile.rowCount} rows${sample}, ${profile.columnCount} columns\n\n`);
  printTable(profile.columns, [
    { header: "COLUMN", value: (c) => c.name, maxWidth: 30 },
    { header: "TYPE", value: (c) => c.type, maxWidth: 24 },
    { header: "MISSING", value: (c) => c.missing, align: "right" },
    { header: "DISTINCT", value: (c) => c.distinct, align: "right" },
    { header: "MIN", value: (c) => c.min, maxWidth: 24 },
    { header: "MEDIAN|TOP", value: (c) => c.quantiles?.p50 ?? c.topCategories?.[0]?.value, maxWidth: 24 },
    { header: "MAX", value: (c) => c.max, maxWidth: 24 },
    { header: "MEAN", value: (c) => c.mean, align: "right" },
    { header: "STD", value: (c) => c.std, align: "right" },
  ]);
  if (profile.warnings.length > 0) {
    process.stdout.write(`\nWarnings:\n${profile.warnings.map((w) => `  - ${w.message}`).join("\n")}\n`);
  }
}

interface SqlCliOptions {
  out?: string;
  format?: string;
  compression: string;
  maxRows: number;
  json?: boolean;
}

function registerSql(data: Command): void {
  const cmd = data
    .command("sql <query>")
    .description(
      "run a DuckDB SQL query over data files (FROM 'file.parquet'); print the first rows or write --out",
    )
    .option("--out <file>", "write the whole result to this file, in the format of its extension")
    .option("--format <format>", "format of --out (default: from its extension)")
    .option(
      "--compression <codec>",
      `Parquet compression of --out: ${PARQUET_COMPRESSIONS.join("|")}`,
      "zstd",
    )
    .option("--max-rows <n>", "rows to print", intOption("--max-rows", 1), 20)
    .option("--json", "print rows (or the write summary) as JSON");
  examples(
    cmd,
    `keel data sql "SELECT origin, avg(delay) AS delay FROM 'data/flights.parquet' GROUP BY origin ORDER BY delay DESC"`,
    `keel data sql "SELECT * FROM 'data/flights.parquet' WHERE delay > 15" --out data/delayed.parquet`,
    `keel data sql "SELECT * FROM 'data/flights-200k.arrow' LIMIT 5" --json`,
  );
  cmd.action(
    action(async (query: string, opts: SqlCliOptions) => {
      const compression = parseCompression(opts.compression);
      const out = opts.out;
      if (out !== undefined) {
        const format = resolveFormat(out, opts.format);
        const rows = await DataSession.use((session) =>
          withActivity(`writing ${out}`, async () => {
            const sql = await prepareUserSql(session, query);
            return writeAtomically(out, (temp) => session.writeRelation(sql, temp, { format, compression }));
          }),
        );
        if (opts.json) return printJson({ out, format, rows });
        process.stdout.write(`Wrote ${rows} rows to ${out} (${format})\n`);
        return;
      }
      const preview = await DataSession.use((session) =>
        withActivity("running query", async () =>
          session.queryPreview(await prepareUserSql(session, query), opts.maxRows),
        ),
      );
      if (opts.json) return printJson(preview.rows.map(jsonRow));
      printTable(
        preview.rows,
        preview.columns.map((c) => ({ header: c.name, value: (r) => cellText(r[c.name]), maxWidth: 40 })),
        "(no rows)",
      );
      if (preview.truncated)
        process.stdout.write(`(first ${opts.maxRows} rows; use --max-rows or --out for more)\n`);
    }),
  );
}

function parseCompression(value: string): ParquetCompression {
  const lower = value.toLowerCase();
  if (!(PARQUET_COMPRESSIONS as readonly string[]).includes(lower)) {
    throw invalidParam(`Invalid --compression '${value}': use one of ${PARQUET_COMPRESSIONS.join(", ")}`);
  }
  return lower as ParquetCompression;
}

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/**
 * Runs `fn`; when it takes longer than 2 s and stderr is a terminal, shows a spinner with the
 * current step and the elapsed time on stderr (stdout stays clean for tables and JSON).
 */
async function withActivity<T>(label: string, fn: (step: (name: string) => void) => Promise<T>): Promise<T> {
  let current = "";
  const started = Date.now();
  const tty = process.stderr.isTTY === true;
  let frame = 0;
  let shown = false;
  const timer = tty
    ? setInterval(() => {
        if (Date.now() - started < 2000) return;
        shown = true;
        const elapsed = ((Date.now() - started) / 1000).toFixed(1);
        const text = `${SPINNER[frame++ % SPINNER.length]} ${label}${current ? `: ${current}` : ""} ${elapsed}s`;
        process.stderr.write(`\r\x1b[2K${text}`);
      }, 100)
    : undefined;
  try {
    return await fn((name) => {
      current = name;
    });
  } finally {
    if (timer !== undefined) clearInterval(timer);
    if (shown) process.stderr.write("\r\x1b[2K");
  }
}

function ms(x: number): string {
  return x < 1000 ? `${x.toFixed(0)} ms` : `${(x / 1000).toFixed(2)} s`;
}

function ratio(a: number, b: number): string {
  return b === 0 ? "n/a" : `${(a / b).toFixed(2)}x`;
}

function cellText(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "string") return v;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "bigint" || typeof v === "boolean") return String(v);
  return JSON.stringify(jsonValue(v));
}

function jsonRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = jsonValue(v);
  return out;
}

// JSON has no bigint: integers beyond 2^53 are printed as strings rather than rounded.
function jsonValue(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
  if (Array.isArray(v)) return v.map(jsonValue);
  if (v !== null && typeof v === "object" && !(v instanceof Date)) {
    return jsonRow(v as Record<string, unknown>);
  }
  return v;
}
