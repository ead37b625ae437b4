import type { Command } from "commander";
import type { GateResult } from "../ci/gate.js";
import { invalidParam } from "../errors.js";
import { action, examples, intOption } from "./command-kit.js";
import { type StoreOptions, withStoreOptions, withTracker } from "./context.js";
import { formatCell, printJson, printTable } from "./output.js";

interface GateFlags extends StoreOptions {
  candidate: string;
  data: string;
  metric: string;
  mustBeat: string;
  minLift: string;
  train?: string;
  target?: string;
  championAlias: string;
  experiment?: string;
  seed: number;
  json?: boolean;
}

/** `keel ci gate`: checks a continuous-integration job runs before a model may be promoted. */
export function registerCiCommands(program: Command): void {
  const ci = program.command("ci").description("checks for continuous integration (exit 1 when one fails)");
  const gate = withStoreOptions(
    ci
      .command("gate")
      .description(
        "score a candidate model and fail (exit 1) unless it beats the baseline and/or the champion by a margin",
      )
      .requiredOption(
        "--candidate <model-ref>",
        "the model under test: models:/NAME@challenger, runs:/ID/model, a folder",
      )
      .requiredOption("--data <file>", "labelled test data every model is scored on")
      .requiredOption(
        "--metric <name>",
        "metric to compare, e.g. roc_auc, accuracy, f1_macro, log_loss, rmse",
      )
      .option(
        "--must-beat <refs>",
        "comma-separated references: baseline, champion, or MODEL_REFs",
        "baseline,champion",
      )
      .option("--min-lift <x>", "required improvement over each reference, in metric units", "0")
      .option("--train <file>", "training data for the baselines (default: the data recorded in model.json)")
      .option("--target <column>", "target column (default: the one recorded in model.json)")
      .option("--champion-alias <alias>", "the alias `champion` stands for", "champion")
      .option("--experiment <name>", "experiment of the gate run")
      .option("--seed <n>", "seed of the random baselines", intOption("--seed", 0), 0)
      .option("--json", "print the verdict as JSON"),
  );
  examples(
    gate,
    "keel ci gate --candidate models:/flights@challenger --data data/test.parquet --metric roc_auc",
    "keel ci gate --candidate runs:/3f2a.../model --data test.csv --metric rmse --must-beat baseline --min-lift 0.5",
    "keel ci gate --candidate models:/penguins/4 --data test.parquet --metric accuracy --must-beat models:/penguins/2 --json",
  );
  gate.addHelpText(
    "after",
    "\nExit codes: 0 the candidate beats every reference, 1 it does not, 2 bad input, 4 not found.\n",
  );
  gate.action(
    action(async (opts: GateFlags) => {
      const minLift = Number(opts.minLift);
      if (opts.minLift.trim() === "" || !Number.isFinite(minLift) || minLift < 0) {
        throw invalidParam(`--min-lift must be a number >= 0, got '${opts.minLift}'`);
      }
      const mustBeat = opts.mustBeat
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
      await withTracker(opts, async (tracker) => {
        // Lazy: scoring loads ONNX Runtime's native binding.
        const { runGate } = await import("../ci/gate.js");
        const result = await runGate(
          {
            candidate: opts.candidate,
            data: opts.data,
            metric: opts.metric,
            mustBeat,
            minLift,
            train: opts.train,
            target: opts.target,
            championAlias: opts.championAlias,
            experiment: opts.experiment,
            seed: opts.seed,
          },
          { tracker },
        );
        if (opts.json) printJson(result);
        else printGate(result);
        if (!result.passed) process.exitCode = 1;
      });
    }),
  );
}

function printGate(r: GateResult): void {
  const signed = (x: number | null) => (x === null ? null : `${x >= 0 ? "+" : ""}${formatCell(x)}`);
  printTable(
    [
      {
        reference: "candidate",
        description: r.candidate.description,
        score: r.candidate.score,
        lift: null,
        verdict: "",
      },
      ...r.checks.map((c) => ({
        reference: c.reference,
        description: c.description,
        score: c.score,
        lift: c.lift,
        verdict: c.note ? `pass (${c.note})` : c.passed ? "pass" : "FAIL",
      })),
    ],
    [
      { header: "REFERENCE", value: (row) => row.reference },
      { header: "MODEL", value: (row) => row.description },
      { header: r.metric, value: (row) => row.score, align: "right" },
      { header: "LIFT", value: (row) => signed(row.lift), align: "right" },
      { header: "VERDICT", value: (row) => row.verdict },
    ],
  );
  const direction = r.lowerIsBetter ? "lower is better" : "higher is better";
  const margin = r.minLift > 0 ? `by at least ${formatCell(r.minLift)}` : "strictly";
  process.stdout.write(
    `\n${r.passed ? "PASS" : "FAIL"}: the candidate must beat each reference ${margin} on ${r.metric} (${direction})\nrun ${r.runId}\n`,
  );
}
