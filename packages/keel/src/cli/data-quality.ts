import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { type Command, InvalidArgumentError, Option } from "commander";
import { writeAtomically } from "../data/engine/atomic-output.js";
import { parseColumnSchema } from "../data/engine/column-schema.js";
import { DataSession, type RelationOptions } from "../data/engine/duckdb-session.js";
import type { TargetBalance } from "../data/split/split-balance.js";
import { SPLIT_STRATEGIES, type SplitStrategy } from "../data/split/split-config.js";
import { type SplitReport, splitFile } from "../data/split/split-file.js";
import {
  describeExpectation,
  describeObserved,
  percent,
  show,
} from "../data/validate/describe-expectation.js";
import { loadExpectations } from "../data/validate/expectations-file.js";
import { renderExpectationsYaml } from "../data/validate/expectations-yaml.js";
import { draftExpectations } from "../data/validate/infer-expectations.js";
import { validateRelation } from "../data/validate/validate-relation.js";
import type { ValidationReport } from "../data/validate/validation-report.js";
import { alreadyExists } from "../errors.js";
import { action, examples, intOption } from "./command-kit.js";
import { printJson, printTable } from "./output.js";

/** Flags every command here shares for reading its input. */
interface ReadFlags {
  format?: string;
  schema?: string;
}

/**
 * `keel data validate | infer-expectations | split`: data quality checks against an
 * expectations file, drafting that file, and reproducible train/valid/test splits.
 */
export function registerDataQualityCommands(data: Command): void {
  registerValidate(data);
  registerInferExpectations(data);
  registerSplit(data);
}

function registerValidate(data: Command): void {
  const cmd = withReadFlags(
    data
      .command("validate <file>")
      .description("check a data file against an expectations file (exit 1 when any expectation fails)")
      .requiredOption(
        "-e, --expectations <yaml>",
        "expectations file (draft one with `keel data infer-expectations`)",
      )
      .option("--json", "print the report as JSON"),
  );
  cmd.addHelpText(
    "after",
    `
Expectations (YAML; \`mostly\` is the share of rows that must pass, default 1):
  expectations:
    - column_exists: {column: delay}
    - column_type: {column: distance, type: integer}   # integer|float|number|string|boolean|date|timestamp
    - not_null: {column: origin, mostly: 0.99}
    - unique: {column: id}
    - in_set: {column: weather, values: [drizzle, fog, rain, snow, sun]}
    - between: {column: temp_max, min: -20, max: 45}
    - regex: {column: origin, pattern: "^[A-Z]{3}$"}
    - row_count_between: {min: 1000, max: 5000000}
    - mean_between: {column: delay, min: 0, max: 30}
    - median_between: {column: delay, min: -5, max: 10}
Exit codes: 0 all pass, 1 some fail, 2 bad expectations file or unknown column.`,
  );
  examples(
    cmd,
    "keel data validate data/weather.csv --expectations expectations.yaml",
    "keel data validate flights.parquet -e checks.yaml --json",
  );
  cmd.action(
    action(async (file: string, opts: ReadFlags & { expectations: string; json?: boolean }) => {
      const suite = await loadExpectations(opts.expectations);
      const report = await DataSession.use(async (session) => {
        const relation = await session.relationFrom(file, readOptions(opts));
        return validateRelation(session, relation, suite, file);
      });
      if (opts.json) printJson(report);
      else printValidation(report);
      if (!report.success) process.exitCode = 1;
    }),
  );
}

function registerInferExpectations(data: Command): void {
  const cmd = withReadFlags(
    data
      .command("infer-expectations <file>")
      .description("draft an expectations file from the data (printed, or written with --out)")
      .option("-o, --out <yaml>", "write the draft to this file instead of printing it")
      .option("--force", "overwrite --out when it exists"),
  );
  examples(
    cmd,
    "keel data infer-expectations data/weather.csv --out expectations.yaml",
    "keel data infer-expectations flights.parquet > flights-expectations.yaml",
  );
  cmd.action(
    action(async (file: string, opts: ReadFlags & { out?: string; force?: boolean }) => {
      if (opts.out !== undefined && !opts.force && existsSync(opts.out)) {
        throw alreadyExists(
          `${opts.out} already exists; pass --force to overwrite it, or choose another --out`,
        );
      }
      const draft = await DataSession.use(async (session) =>
        draftExpectations(session, await session.relationFrom(file, readOptions(opts)), file),
      );
      const yaml = renderExpectationsYaml(draft);
      if (opts.out === undefined) {
        process.stdout.write(yaml);
        return;
      }
      const out = opts.out;
      await writeAtomically(out, (temp) => writeFile(temp, yaml, "utf8"));
      const count = draft.table.length + draft.columns.reduce((n, c) => n + c.expectations.length, 0);
      process.stdout.write(
        `Wrote ${count} expectations for ${draft.columns.length} columns to ${out}\n` +
          `Review the bounds, then check data with: keel data validate ${file} --expectations ${out}\n`,
      );
    }),
  );
}

function registerSplit(data: Command): void {
  const cmd = withReadFlags(
    data
      .command("split <file>")
      .description("split a table into train/test (and valid) Parquet files, reproducibly")
      .requiredOption("-o, --out <dir>", "folder for train.parquet, test.parquet (and valid.parquet)")
      .addOption(
        new Option("-s, --strategy <strategy>", "how rows are dealt out")
          .choices(SPLIT_STRATEGIES)
          .default("random"),
      )
      .option(
        "-t, --target <column>",
        "target column: stratified keeps its class shares; its balance is printed",
      )
      .option("--by <column>", "time column (--strategy time) or group column (--strategy group)")
      .option("--test <share>", "share of rows for test", shareOption("--test"), 0.2)
      .option("--valid <share>", "share of rows for valid (0: no valid.parquet)", shareOption("--valid"), 0)
      .option("--seed <n>", "seed of the shuffle (same seed, same files)", intOption("--seed", 0), 0)
      .option("--json", "print the report as JSON"),
  );
  cmd.addHelpText(
    "after",
    `
Strategies:
  random      rows shuffled by seed; exact sizes
  stratified  random within each --target class; each class's share kept within one row
  time        ordered by --by; the latest rows are test, the ones before them valid
  group       each value of --by goes to exactly one split (sizes approximate)`,
  );
  examples(
    cmd,
    "keel data split weather.csv --target weather --strategy stratified --test 0.2 --valid 0.1 --out splits/",
    "keel data split flights.parquet --target delay --strategy time --by date --test 0.2 --out splits/",
    "keel data split flights.parquet --strategy group --by origin --test 0.25 --seed 7 --out splits/ --json",
  );
  cmd.action(
    action(
      async (
        file: string,
        opts: ReadFlags & {
          out: string;
          strategy: SplitStrategy;
          target?: string;
          by?: string;
          test: number;
          valid: number;
          seed: number;
          json?: boolean;
        },
      ) => {
        const config = {
          strategy: opts.strategy,
          test: opts.test,
          valid: opts.valid,
          seed: opts.seed,
          ...(opts.target === undefined ? {} : { target: opts.target }),
          ...(opts.by === undefined ? {} : { by: opts.by }),
        };
        const report = await DataSession.use((session) =>
          splitFile(session, file, opts.out, config, readOptions(opts)),
        );
        if (opts.json) printJson(report);
        else printSplit(report);
      },
    ),
  );
}

function withReadFlags(cmd: Command): Command {
  return cmd
    .option(
      "--format <format>",
      "input format when the extension does not tell (csv, tsv, json, jsonl, parquet, arrow)",
    )
    .option("--schema <col=TYPE,...>", "override inferred column types, e.g. zip=VARCHAR,day=DATE");
}

function readOptions(flags: ReadFlags): RelationOptions {
  return {
    ...(flags.format === undefined ? {} : { format: flags.format }),
    ...(flags.schema === undefined ? {} : { schema: parseColumnSchema(flags.schema) }),
  };
}

function shareOption(name: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n)) {
      throw new InvalidArgumentError(`${name} must be a fraction such as 0.2, got '${value}'`);
    }
    return n;
  };
}

function printValidation(report: ValidationReport): void {
  process.stdout.write(
    `Validated ${report.data} (${report.rowCount.toLocaleString("en-US")} rows) against ${report.expectations}\n\n`,
  );
  printTable(report.results, [
    { header: "#", value: (r) => r.index, align: "right" },
    { header: "EXPECTATION", value: (r) => describeExpectation(r), maxWidth: 48 },
    { header: "COLUMN", value: (r) => r.column, maxWidth: 24 },
    { header: "RESULT", value: (r) => (r.success ? "PASS" : "FAIL") },
    { header: "OBSERVED", value: (r) => r.note ?? describeObserved(r), maxWidth: 40 },
    {
      header: "FAILING",
      value: (r) =>
        r.unexpectedCount === undefined
          ? null
          : `${r.unexpectedCount} (${percent(r.unexpectedFraction ?? 0)})`,
      align: "right",
    },
    {
      header: "EXAMPLES (row: value)",
      value: (r) => r.examples?.map((e) => `${e.row}: ${show(e.value)}`).join(", "),
      maxWidth: 60,
    },
  ]);
  const total = report.results.length;
  process.stdout.write(
    report.success
      ? `\nPASSED: all ${total} expectations hold\n`
      : `\nFAILED: ${report.failed} of ${total} expectations (rows count from 1 in file order)\n`,
  );
}

function printSplit(report: SplitReport): void {
  const how = [
    report.strategy,
    report.by === null ? "" : ` by ${report.by}`,
    report.strategy === "time" ? "" : `, seed ${report.seed}`,
  ].join("");
  process.stdout.write(
    `Split ${report.input} (${report.rows.toLocaleString("en-US")} rows, ${how}) into ${report.outDir}\n\n`,
  );
  const group = report.strategy === "group";
  printTable(report.parts, [
    { header: "SPLIT", value: (p) => p.name },
    { header: "ROWS", value: (p) => p.rows, align: "right" },
    { header: "SHARE", value: (p) => percent(p.share), align: "right" },
    ...(group
      ? [{ header: "GROUPS", value: (p: SplitReport["parts"][number]) => p.groups, align: "right" as const }]
      : []),
    { header: "FILE", value: (p) => p.path },
  ]);
  if (report.removedStaleValid) process.stdout.write(`(removed valid.parquet left by an earlier split)\n`);
  const first = report.parts[0]?.balance;
  if (report.target === null || first === undefined) return;
  process.stdout.write(`\nBalance of '${report.target}':\n`);
  if (first.kind === "numeric") {
    printTable(report.parts, [
      { header: "SPLIT", value: (p) => p.name },
      { header: "COUNT", value: (p) => numeric(p.balance)?.count, align: "right" },
      { header: "MEAN", value: (p) => numeric(p.balance)?.mean, align: "right" },
      { header: "STD", value: (p) => numeric(p.balance)?.std, align: "right" },
    ]);
    return;
  }
  const rows = first.classes.map((c, i) => ({ value: c.value, index: i }));
  const hasOther = report.parts.some((p) => p.balance?.kind === "classes" && p.balance.otherCount > 0);
  if (hasOther) rows.push({ value: "(other classes)", index: -1 });
  printTable(rows, [
    { header: "CLASS", value: (r) => show(r.value), maxWidth: 30 },
    ...report.parts.map((p) => ({
      header: p.name.toUpperCase(),
      value: (r: { index: number }) => classCell(p.balance, r.index, p.rows),
      align: "right" as const,
    })),
  ]);
}

function numeric(b: TargetBalance | undefined) {
  return b?.kind === "numeric" ? b : undefined;
}

// "449 (43.9%)" for a listed class, or for the summed rare classes when index is -1.
function classCell(balance: TargetBalance | undefined, index: number, rows: number): string {
  if (balance?.kind !== "classes") return "-";
  const count = index < 0 ? balance.otherCount : (balance.classes[index]?.count ?? 0);
  return `${count} (${percent(rows === 0 ? 0 : count / rows)})`;
}
