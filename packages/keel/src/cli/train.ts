import type { Command } from "commander";
import { invalidParam } from "../errors.js";
import { MODEL_CATALOG, parseParamArgs } from "../learn/train/model-catalog.js";
import { TASKS } from "../learn/train/task.js";
import type { TrainResult } from "../learn/train/train-model.js";
import type { ColumnRole } from "../learn/transform/column-roles.js";
import { action, collect, examples, intOption } from "./command-kit.js";
import { type StoreOptions, withStoreOptions, withTracker } from "./context.js";
import { formatCell, printJson, printTable } from "./output.js";
import { terminalProgress } from "./progress.js";

const ROLES: readonly ColumnRole[] = ["numeric", "categorical", "boolean", "datetime", "ignore"];

interface DataFlags extends StoreOptions {
  data: string;
  target: string;
  test?: string;
  task?: string;
  role?: string[];
  experiment?: string;
  runName?: string;
  json?: boolean;
}

/** `keel train`, `keel baseline`, `keel evaluate`. */
export function registerTrainCommands(program: Command): void {
  const train = dataOptions(
    program
      .command("train")
      .description(
        "train a model, evaluate it beside the dummy baseline, package it (ONNX) and track the run",
      ),
  )
    .option("--cv <k>", "k-fold cross-validation (stratified for classifiers)", intOption("--cv", 2))
    .option("-m, --model <name>", `model: ${MODEL_CATALOG.map((e) => e.name).join(", ")}`, "gbdt")
    .option("-p, --param <key=value>", "estimator parameter (repeatable), e.g. maxIter=200", collect)
    .option("--register <name>", "register the model package as a new version of this model")
    .option("--alias <alias>", "with --register: point this alias at the new version (e.g. challenger)")
    .option("--seed <n>", "seed of the holdout split and CV folds", intOption("--seed", 0), 0);
  examples(
    train,
    "keel train --data data/train.parquet --test data/test.parquet --target delayed --model gbdt",
    "keel train --data data/penguins.parquet --target species --model logreg --cv 5",
    "keel train --data train.parquet --target y --param maxIter=300 --param learningRate=0.05 --register flights --alias challenger --json",
  );
  train.addHelpText(
    "after",
    `\nModels:\n${MODEL_CATALOG.map((e) => `  ${e.name.padEnd(7)} ${e.summary}`).join("\n")}\n`,
  );
  train.action(
    action(
      async (
        opts: DataFlags & {
          cv?: number;
          model: string;
          param?: string[];
          register?: string;
          alias?: string;
          seed: number;
        },
      ) => {
        if (opts.alias !== undefined && opts.register === undefined) {
          throw invalidParam("--alias needs --register NAME: an alias points at a registered version");
        }
        const params = parseParamArgs(opts.param ?? []);
        await withTracker(opts, async (tracker) => {
          // Lazy, here and below: training pulls in ONNX Runtime's native binding, which other commands
          // should not load at startup.
          const { trainModel } = await import("../learn/train/train-model.js");
          const result = await trainModel(
            {
              data: opts.data,
              target: opts.target,
              test: opts.test,
              cv: opts.cv,
              model: opts.model,
              params,
              task: opts.task,
              roles: parseRoles(opts.role),
              experiment: opts.experiment,
              runName: opts.runName,
              register: opts.register,
              alias: opts.alias,
              seed: opts.seed,
            },
            { tracker, progress: terminalProgress("count") },
          );
          if (opts.json) {
            return printJson({
              run_id: result.runId,
              model_uri: result.modelUri,
              metrics: result.metrics,
              baseline: result.baseline,
              lift: result.lift,
              ...(result.registered ? { registered: result.registered } : {}),
            });
          }
          printTrainResult(result);
        });
      },
    ),
  );

  const baseline = dataOptions(
    program
      .command("baseline")
      .description("score every dummy strategy and the best one-feature rule: the numbers to beat"),
  ).option("--seed <n>", "seed of the holdout split and random strategies", intOption("--seed", 0), 0);
  examples(
    baseline,
    "keel baseline --data data/train.parquet --test data/test.parquet --target delayed",
    "keel baseline --data data/penguins.parquet --target species --json",
  );
  baseline.action(
    action(async (opts: DataFlags & { seed: number }) => {
      await withTracker(opts, async (tracker) => {
        const { runBaselines } = await import("../learn/train/baseline.js");
        const result = await runBaselines(
          {
            data: opts.data,
            target: opts.target,
            test: opts.test,
            task: opts.task,
            roles: parseRoles(opts.role),
            experiment: opts.experiment,
            runName: opts.runName,
            seed: opts.seed,
          },
          { tracker },
        );
        if (opts.json) return printJson({ run_id: result.runId, task: result.task, baselines: result.rows });
        const keys = [...new Set(result.rows.flatMap((r) => Object.keys(r.metrics)))];
        printTable(result.rows, [
          { header: "BASELINE", value: (r) => r.name },
          ...keys.map((k) => ({
            header: k,
            value: (r: (typeof result.rows)[number]) => r.metrics[k],
            align: "right" as const,
          })),
          { header: "RULE", value: (r) => r.description, maxWidth: 50 },
        ]);
        process.stdout.write(`\n${result.task}, ${result.evaluation} metrics; run ${result.runId}\n`);
      });
    }),
  );

  const evaluate = withStoreOptions(
    program
      .command("evaluate <model-ref>")
      .description(
        "score a packaged model on labelled data with ONNX Runtime: metrics, confusion matrix, calibration",
      )
      .requiredOption("-d, --data <file>", "labelled data (Parquet, CSV, JSON...)")
      .option("-y, --target <column>", "target column (default: the one recorded in model.json)")
      .option("-e, --experiment <name>", "experiment of the evaluation run")
      .option("--run-name <name>", "name of the evaluation run")
      .option("--json", "print JSON"),
  );
  examples(
    evaluate,
    "keel evaluate models:/flights-delay@champion --data data/test.parquet",
    "keel evaluate runs:/<run id>/model --data data/test.parquet --json",
  );
  evaluate.action(
    action(
      async (
        ref: string,
        opts: StoreOptions & {
          data: string;
          target?: string;
          experiment?: string;
          runName?: string;
          json?: boolean;
        },
      ) => {
        await withTracker(opts, async (tracker) => {
          const { evaluateModel } = await import("../learn/train/evaluate-model.js");
          const r = await evaluateModel(
            {
              model: ref,
              data: opts.data,
              target: opts.target,
              experiment: opts.experiment,
              runName: opts.runName,
            },
            { tracker },
          );
          if (opts.json) {
            return printJson({
              run_id: r.runId,
              task: r.task,
              metrics: r.metrics,
              confusion_matrix: r.confusion ?? null,
              calibration: r.calibration ?? null,
              model_version: r.modelVersion ?? null,
            });
          }
          printTable(Object.entries(r.metrics), [
            { header: "METRIC", value: ([k]) => k },
            { header: "VALUE", value: ([, v]) => v, align: "right" },
          ]);
          if (r.confusion) {
            const labels = r.confusion.labels;
            process.stdout.write("\nConfusion matrix (rows = true, columns = predicted)\n");
            printTable(
              r.confusion.matrix.map((row, i) => ({ label: labels[i]!, row })),
              [
                { header: "TRUE", value: (x) => x.label },
                ...labels.map((l, j) => ({
                  header: l,
                  value: (x: { row: number[] }) => x.row[j],
                  align: "right" as const,
                })),
              ],
            );
          }
          if (r.calibration) {
            process.stdout.write(
              `\nCalibration of ${r.calibration.of} (ECE ${formatCell(r.calibration.ece)})\n`,
            );
            printTable(r.calibration.bins, [
              { header: "BIN", value: (b) => `${b.lower.toFixed(1)}-${b.upper.toFixed(1)}` },
              { header: "COUNT", value: (b) => b.count, align: "right" },
              { header: "MEAN PREDICTED", value: (b) => (b.count ? b.meanPredicted : null), align: "right" },
              { header: "OBSERVED", value: (b) => (b.count ? b.observed : null), align: "right" },
            ]);
          }
          process.stdout.write(`\nrun ${r.runId}\n`);
        });
      },
    ),
  );
}

/** The data options train and baseline share. */
function dataOptions(cmd: Command): Command {
  return withStoreOptions(
    cmd
      .requiredOption(
        "-d, --data <file>",
        "training data (Parquet, CSV, JSON, Arrow; a tracked path is logged with its version)",
      )
      .requiredOption("-y, --target <column>", "target column")
      .option("--test <file>", "test data (default: a seeded 20% holdout of --data)")
      .option("--task <task>", `override the inferred task: ${TASKS.join(", ")}`)
      .option("--role <column=role>", `column role override (repeatable): ${ROLES.join(", ")}`, collect)
      .option("-e, --experiment <name>", "experiment of the run")
      .option("--run-name <name>", "name of the run")
      .option("--json", "print JSON"),
  );
}

function parseRoles(args: string[] | undefined): Record<string, ColumnRole> {
  const out: Record<string, ColumnRole> = {};
  for (const arg of args ?? []) {
    const [column, role] = arg.split("=");
    if (!column || !role || !(ROLES as readonly string[]).includes(role)) {
      throw invalidParam(`--role '${arg}' must be COLUMN=ROLE with ROLE one of ${ROLES.join(", ")}`);
    }
    out[column] = role as ColumnRole;
  }
  return out;
}

function printTrainResult(r: TrainResult): void {
  const keys = Object.keys(r.metrics).filter((k) => !k.endsWith("_std"));
  printTable(keys, [
    { header: "METRIC", value: (k) => k },
    { header: r.model.toUpperCase(), value: (k) => r.metrics[k], align: "right" },
    { header: "BASELINE", value: (k) => r.baseline[k], align: "right" },
    {
      header: "LIFT",
      value: (k) =>
        r.lift[k] === undefined ? null : `${r.lift[k]! >= 0 ? "+" : ""}${formatCell(r.lift[k]!)}`,
      align: "right",
    },
  ]);
  process.stdout.write(
    `\n${r.task} ${r.model}, ${r.evaluation} metrics (lift: positive = better than baseline)\n`,
  );
  process.stdout.write(`run ${r.runId}\n`);
  if (r.modelUri) process.stdout.write(`model ${r.modelUri}\n`);
  else process.stderr.write(`warning: the model was not packaged: ${r.packageError}\n`);
  if (r.registered) {
    process.stdout.write(
      `registered models:/${r.registered.name}/${r.registered.version}${r.registered.alias ? ` (@${r.registered.alias})` : ""}\n`,
    );
  }
}
