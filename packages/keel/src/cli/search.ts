import type { Command } from "commander";
import type { ProgressSink } from "../data/versioning/progress-sink.js";
import type { LeaderboardRow } from "../search/run/leaderboard.js";
import type { SearchProgress, SearchResult } from "../search/run/run-search.js";
import { STRATEGY_NAMES } from "../search/strategies/strategy.js";
import { Tracker } from "../track/index.js";
import { parseDuration } from "../util/duration.js";
import { action, examples, intOption } from "./command-kit.js";
import { type StoreOptions, withStoreOptions } from "./context.js";
import { formatCell, printJson, printTable } from "./output.js";
import { type StatusBar, terminalProgress, terminalStatusBar } from "./progress.js";

/** Leaderboard rows printed (the artifact and --json have all of them). */
const SHOWN_ROWS = 10;

interface SearchFlags extends StoreOptions {
  data?: string;
  target?: string;
  test?: string;
  task?: string;
  models?: string;
  strategy?: string;
  trials?: number;
  timeBudget?: string;
  cv?: number;
  metric?: string;
  parallel?: number;
  seed?: number;
  space?: string;
  experiment?: string;
  runName?: string;
  register?: string;
  alias?: string;
  resume?: string;
  json?: boolean;
}

/** `keel search`: hyperparameter and model search with tracked trials. */
export function registerSearchCommand(program: Command): void {
  const cmd = withStoreOptions(
    program
      .command("search")
      .description(
        "search models and hyperparameters by cross-validation; every trial is a nested run, the best is refit, packaged and optionally registered",
      )
      .option("-d, --data <file>", "training data (Parquet, CSV, JSON, Arrow)")
      .option("-y, --target <column>", "target column")
      .option("--test <file>", "test data to score the refit best model on (default: cross-validation)")
      .option("--task <task>", "override the inferred task: binary, multiclass, regression")
      .option("--models <list>", "comma-separated models (default: every searchable model for the task)")
      .option("--strategy <name>", `search strategy: ${STRATEGY_NAMES.join(", ")} (default tpe)`)
      .option(
        "--trials <n>",
        "number of trials (halving: configs in the first rung; default 20)",
        intOption("--trials", 1),
      )
      .option("--time-budget <duration>", "stop launching trials after this long, e.g. 30s, 10m, 1h")
      .option("--cv <k>", "cross-validation folds per trial (default 3)", intOption("--cv", 2))
      .option("--metric <name>", "metric to optimise (default: roc_auc, accuracy or rmse by task)")
      .option(
        "--parallel <n>",
        "trials at once on worker threads (default 1: in-process)",
        intOption("--parallel", 1),
      )
      .option("--seed <n>", "seed of the strategy, folds and estimators (default 0)", intOption("--seed", 0))
      .option("--space <file>", "YAML file overriding the default search spaces")
      .option("-e, --experiment <name>", "experiment of the search run")
      .option("--run-name <name>", "name of the search run")
      .option("--register <name>", "register the refit best model as a new version of this model")
      .option("--alias <alias>", "with --register: point this alias at the new version (e.g. challenger)")
      .option("--resume <run-id>", "continue a stopped search with its stored options")
      .option("--json", "print JSON"),
  );
  examples(
    cmd,
    "keel search --data train.parquet --target delayed --models gbdt,rf,logreg --trials 30 --metric roc_auc",
    "keel search --data train.parquet --test test.parquet --target y --strategy halving --trials 27 --parallel 2",
    "keel search --data penguins.parquet --target species --time-budget 5m --space space.yaml --register penguins --alias challenger",
    "keel search --resume 3f2a...   # after Ctrl-C",
  );
  cmd.action(
    action(async (opts: SearchFlags) => {
      const timeBudgetMs =
        opts.timeBudget === undefined ? undefined : parseDuration(opts.timeBudget, "--time-budget");
      const models = opts.models?.split(",").map((m) => m.trim());
      const stop = new AbortController();
      const onSigint = () => {
        if (stop.signal.aborted) process.exit(130);
        process.stderr.write(
          "\nstopping: no new trials, cancelling the running ones (Ctrl-C again to quit now)\n",
        );
        stop.abort();
      };
      const status = opts.json ? undefined : terminalStatusBar("trials");
      // The tracker's own SIGINT hook would end the runs and re-raise the signal; the search ends them itself.
      const tracker = await Tracker.open({ trackingUri: opts.trackingUri, handleProcessExit: false });
      process.on("SIGINT", onSigint);
      try {
        // Lazy: the search pulls in the learners and ONNX Runtime, which other commands should not load.
        const { runSearch } = await import("../search/run/run-search.js");
        const result = await runSearch(
          {
            data: opts.data,
            target: opts.target,
            test: opts.test,
            task: opts.task,
            models,
            strategy: opts.strategy,
            trials: opts.trials,
            timeBudgetMs,
            cv: opts.cv,
            metric: opts.metric,
            parallel: opts.parallel,
            seed: opts.seed,
            space: opts.space,
            experiment: opts.experiment,
            runName: opts.runName,
            register: opts.register,
            alias: opts.alias,
            resume: opts.resume,
          },
          {
            tracker,
            signal: stop.signal,
            onProgress: status
              ? (p) => status.update(p.done, p.planned ?? p.done + p.running, statusText(p))
              : undefined,
            progress: opts.json ? undefined : afterBar(status, terminalProgress("count")),
          },
        );
        status?.stop();
        if (opts.json) printJson(jsonOf(result));
        else printResult(result);
        if (result.status === "KILLED") {
          process.stderr.write(`stopped; resume with: keel search --resume ${result.runId}\n`);
          process.exitCode = 130;
        }
      } finally {
        status?.stop();
        process.off("SIGINT", onSigint);
        await tracker.close();
      }
    }),
  );
}

/** `best roc_auc 0.712 | 1 failed`. */
function statusText(p: SearchProgress): string {
  const best = p.best?.mean == null ? "no score yet" : `best ${p.metric} ${formatCell(p.best.mean)}`;
  return p.failed > 0 ? `${best} | ${p.failed} failed` : best;
}

/** The refit's bar, started only once the trials' status bar is gone. */
function afterBar(status: StatusBar | undefined, sink: ProgressSink | undefined): ProgressSink | undefined {
  if (!sink) return undefined;
  return {
    start(total, label) {
      status?.stop();
      sink.start(total, label);
    },
    advance: (n) => sink.advance(n),
    stop: () => sink.stop(),
  };
}

/** `learningRate=0.05 maxDepth=6`. */
function paramText(params: LeaderboardRow["params"]): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === "number" ? formatCell(v) : String(v)}`)
    .join(" ");
}

function scoreText(mean: number | null, std: number | null): string | null {
  if (mean === null) return null;
  return `${mean.toFixed(4)} ± ${(std ?? 0).toFixed(4)}`;
}

function printResult(r: SearchResult): void {
  const m = r.plan.metric;
  const shown = r.leaderboard.slice(0, SHOWN_ROWS);
  const baselineRow = { rank: "-", trial: "-", model: "baseline", params: "dummy (class priors / mean)" };
  type Row = {
    rank: string | number;
    trial: string | number;
    model: string;
    params: string;
    score: string | null;
    budget: string | null;
    fit: number | null;
  };
  const rows: Row[] = [
    ...shown.map((row) => ({
      rank: row.rank,
      trial: row.trial,
      model: row.model,
      params: row.status === "FAILED" ? `FAILED: ${row.error ?? ""}` : paramText(row.params),
      score: scoreText(row.mean, row.std),
      budget: row.budget < 1 ? formatCell(row.budget) : null,
      fit: row.fitTimeS,
    })),
    { ...baselineRow, score: scoreText(r.baseline.mean, r.baseline.std), budget: null, fit: null },
  ];
  const anyBudget = rows.some((row) => row.budget !== null);
  printTable(rows, [
    { header: "RANK", value: (x) => x.rank, align: "right" },
    { header: "TRIAL", value: (x) => x.trial, align: "right" },
    { header: "MODEL", value: (x) => x.model },
    { header: "PARAMS", value: (x) => x.params, maxWidth: 60 },
    { header: `CV ${m.toUpperCase()}`, value: (x) => x.score, align: "right" },
    ...(anyBudget ? [{ header: "BUDGET", value: (x: Row) => x.budget, align: "right" as const }] : []),
    { header: "FIT S", value: (x) => (x.fit === null ? null : x.fit.toFixed(2)), align: "right" },
  ]);
  const failed = r.leaderboard.filter((row) => row.status === "FAILED").length;
  const more = r.leaderboard.length - shown.length;
  process.stdout.write(
    `\n${r.leaderboard.length} trial(s)${failed ? `, ${failed} failed` : ""}${more > 0 ? ` (${more} more in the run's search/leaderboard.csv)` : ""}; ${r.plan.strategy} search, ${r.plan.cv}-fold CV ${m}${r.ended === "time-budget" ? "; stopped by --time-budget" : ""}\n`,
  );
  process.stdout.write(`search run ${r.runId}\n`);
  if (r.refit) {
    const evaluation = Object.entries(r.refit.metrics).find(
      ([k]) => k === `test_${m}` || k === `cv_${m}_mean`,
    );
    process.stdout.write(
      `refit of trial ${r.best?.trial}: run ${r.refit.runId}${evaluation ? `, ${evaluation[0]} ${formatCell(evaluation[1])}` : ""}\n`,
    );
    if (r.refit.modelUri) process.stdout.write(`model ${r.refit.modelUri}\n`);
    else process.stderr.write(`warning: the model was not packaged: ${r.refit.packageError}\n`);
    const reg = r.refit.registered;
    if (reg)
      process.stdout.write(
        `registered models:/${reg.name}/${reg.version}${reg.alias ? ` (@${reg.alias})` : ""}\n`,
      );
  }
}

function jsonOf(r: SearchResult): unknown {
  return {
    runId: r.runId,
    status: r.status,
    ended: r.ended,
    task: r.task,
    metric: r.plan.metric,
    best: r.best
      ? {
          trial: r.best.trial,
          model: r.best.model,
          params: r.best.params,
          score: r.best.mean,
          std: r.best.std,
        }
      : null,
    baseline: r.baseline,
    leaderboard: r.leaderboard,
    refitRunId: r.refit?.runId ?? null,
    refitMetrics: r.refit?.metrics ?? null,
    modelUri: r.refit?.modelUri ?? null,
    registered: r.refit?.registered ?? null,
  };
}
