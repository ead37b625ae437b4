/**
 * `keel baseline`: every dummy strategy and the best single-feature rule, scored on the same
 * split a model would be (the test file, else a seeded 20% holdout) and tracked as one run — the
 * numbers any real model has to beat.
 */
import { DummyClassifier, DummyRegressor } from "../dummy/index.js";
import { defaultPipeline } from "../pipeline/index.js";
import type { ColumnRoles } from "../transform/column-roles.js";
import {
  fitPipeline,
  type LabelledData,
  type Problem,
  predict,
  scorePredictions,
  takeRows,
} from "./fit-evaluate.js";
import { holdoutSplit } from "./folds.js";
import { bestOneFeatureRule } from "./one-feature-rule.js";
import { type DataOptions, prepareData } from "./prepare-data.js";
import { inRun, logDataset } from "./run-records.js";
import { prefixed, type Scores } from "./scores.js";
import { isClassification, type Task } from "./task.js";
import type { TrainDeps } from "./train-model.js";

/** Options of {@link runBaselines}. */
export interface BaselineOptions extends DataOptions {
  /** Experiment name. */
  readonly experiment?: string | undefined;
  /** Run name. */
  readonly runName?: string | undefined;
  /** Seed of the holdout split (default 0). */
  readonly seed?: number | undefined;
}

/** One baseline's scores. */
export interface BaselineRow {
  /** `most_frequent`, `prior`, ..., or `one_feature`. */
  readonly name: string;
  /** What it predicts, in words. */
  readonly description: string;
  /** Test (or holdout) metrics. */
  readonly metrics: Scores;
  /** The one-feature rule's column and kind (only on the `one_feature` row). */
  readonly rule?: { readonly column: string; readonly kind: string };
}

/** Result of {@link runBaselines}. */
export interface BaselineResult {
  /** Run id. */
  readonly runId: string;
  /** Task. */
  readonly task: Task;
  /** "test" or "holdout". */
  readonly evaluation: "test" | "holdout";
  /** Every baseline, dummies first. */
  readonly rows: BaselineRow[];
}

const CLASSIFIER_STRATEGIES = {
  most_frequent: "always the majority class",
  prior: "the majority class, with the class priors as probabilities",
  stratified: "random classes drawn from the priors",
  uniform: "uniformly random classes",
} as const;
const REGRESSOR_STRATEGIES = { mean: "the training mean", median: "the training median" } as const;

/**
 * Every dummy strategy and the best one-feature rule, fitted on `fit` and scored on `evalData`
 * (no tracking): the rows of `keel baseline` and the `baseline` reference of `keel ci gate`.
 */
export function scoreBaselines(
  fit: LabelledData,
  evalData: LabelledData,
  problem: Problem,
  roles: ColumnRoles,
  seed: number,
): BaselineRow[] {
  const rows: BaselineRow[] = [];
  const strategies = isClassification(problem.task) ? CLASSIFIER_STRATEGIES : REGRESSOR_STRATEGIES;
  for (const [strategy, description] of Object.entries(strategies)) {
    const dummy = isClassification(problem.task)
      ? new DummyClassifier({ strategy: strategy as keyof typeof CLASSIFIER_STRATEGIES, seed })
      : new DummyRegressor({ strategy: strategy as keyof typeof REGRESSOR_STRATEGIES });
    const pipe = fitPipeline(defaultPipeline(roles, dummy, { impute: true }), fit, problem);
    rows.push({
      name: strategy,
      description,
      metrics: scorePredictions(problem, evalData.y, predict(pipe, evalData.X, problem)),
    });
  }
  const rule = bestOneFeatureRule(fit, problem, roles);
  if (rule) {
    rows.push({
      name: "one_feature",
      description:
        rule.kind === "threshold"
          ? `one threshold on '${rule.column}' (depth-1 tree)`
          : `${isClassification(problem.task) ? "majority class" : "mean"} per category of '${rule.column}'`,
      metrics: scorePredictions(problem, evalData.y, rule.predict(evalData.X)),
      rule: { column: rule.column, kind: rule.kind },
    });
  }
  return rows;
}

/** Scores every dummy strategy and the best one-feature rule; one tracked run. */
export async function runBaselines(options: BaselineOptions, deps: TrainDeps): Promise<BaselineResult> {
  const prepared = await prepareData(options);
  const { problem, roles } = prepared;
  const seed = options.seed ?? 0;
  let fit: LabelledData = prepared.train;
  let test = prepared.test;
  if (!test) {
    const y = isClassification(problem.task) ? (prepared.train.y as Int32Array) : undefined;
    const split = holdoutSplit(prepared.train.X.rowCount, 0.2, seed, y);
    fit = takeRows(prepared.train, split.train);
    test = takeRows(prepared.train, split.test);
  }
  const rows = scoreBaselines(fit, test, problem, roles, seed);
  const rule = rows.find((r) => r.rule)?.rule;
  const run = await deps.tracker.startRun({
    experiment: options.experiment,
    runName: options.runName,
    tags: { "keel.command": "baseline" },
  });
  const evaluation = prepared.test ? "test" : "holdout";
  return inRun(run, async () => {
    await run.logParams({
      task: problem.task,
      target: problem.target,
      evaluation,
      seed,
      ...(rule ? { best_feature: rule.column, best_feature_rule: rule.kind } : {}),
    });
    await logDataset(deps.tracker, run, options.data, "train", deps.cwd);
    if (options.test !== undefined) await logDataset(deps.tracker, run, options.test, "test", deps.cwd);
    for (const row of rows) run.logMetrics(prefixed(`${row.name}_test_`, row.metrics));
    await run.logDict(rows, "baselines.json");
    return { runId: run.id, task: problem.task, evaluation, rows };
  });
}
