/**
 * `keel ci gate`: the baselining lesson automated. A candidate model is scored on a test file and
 * must beat every reference (the baselines fitted on its training data, the current champion, any
 * other MODEL_REF) on one metric by a margin; the verdict is tracked as a run and becomes the
 * command's exit code, so a CI job fails when a model would not be an improvement.
 */
import { access } from "node:fs/promises";
import { resolve } from "node:path";
import { invalidParam, isKeelError } from "../errors.js";
import { scoreBaselines } from "../learn/train/baseline.js";
import { prepareData } from "../learn/train/prepare-data.js";
import { describeDataset, inRun, logDataset } from "../learn/train/run-records.js";
import { type ScoredModel, scoreModel } from "../learn/train/score-model.js";
import { LOWER_IS_BETTER, lift } from "../learn/train/scores.js";
import { isClassification } from "../learn/train/task.js";
import type { Tracker } from "../track/index.js";

/** Options of {@link runGate} (the `keel ci gate` flags). */
export interface GateOptions {
  /** MODEL_REF of the model under test. */
  readonly candidate: string;
  /** Labelled test file every model is scored on. */
  readonly data: string;
  /** Metric name without prefix, e.g. `roc_auc`, `rmse` (default: the task's headline metric). */
  readonly metric: string;
  /**
   * References to beat: `baseline`, `champion` (the candidate's registered model at alias
   * `champion`), or any MODEL_REF.
   */
  readonly mustBeat: readonly string[];
  /** Required improvement over each reference, in metric units (default 0: strictly better). */
  readonly minLift?: number | undefined;
  /** Training data of the baselines (default: the dataset recorded in the candidate's model.json). */
  readonly train?: string | undefined;
  /** Target column (default: the one recorded in the candidate's model.json). */
  readonly target?: string | undefined;
  /** Alias the `champion` reference means (default `champion`). */
  readonly championAlias?: string | undefined;
  /** Experiment of the gate run. */
  readonly experiment?: string | undefined;
  /** Seed of the stochastic baselines (default 0). */
  readonly seed?: number | undefined;
}

/** One reference the candidate was compared with. */
export interface GateCheck {
  /** As given in `--must-beat`. */
  readonly reference: string;
  /** What was compared: the best baseline's name, the champion's `models:/name/N`, the ref. */
  readonly description: string;
  /** The reference's score, or null when the check did not apply. */
  readonly score: number | null;
  /** Candidate minus reference, signed so positive is better; null when not applicable. */
  readonly lift: number | null;
  /** True when the candidate beat the reference by the margin (or the check did not apply). */
  readonly passed: boolean;
  /** Why a check did not apply (no champion yet, the candidate is the champion). */
  readonly note?: string;
}

/** The gate's verdict. */
export interface GateResult {
  /** The tracked gate run. */
  readonly runId: string;
  /** The metric compared (bare name). */
  readonly metric: string;
  /** True when lower values are better for the metric. */
  readonly lowerIsBetter: boolean;
  /** Margin required. */
  readonly minLift: number;
  /** The candidate and its score. */
  readonly candidate: { readonly ref: string; readonly description: string; readonly score: number };
  /** One row per reference. */
  readonly checks: readonly GateCheck[];
  /** True when every check passed. */
  readonly passed: boolean;
}

/** Scores the candidate and every reference on `options.data` and decides; one tracked run. */
export async function runGate(
  options: GateOptions,
  deps: { tracker: Tracker; cwd?: string | undefined },
): Promise<GateResult> {
  const metric = options.metric.replace(/^test_/, "");
  const minLift = options.minLift ?? 0;
  if (!Number.isFinite(minLift) || minLift < 0) {
    throw invalidParam(`--min-lift must be a number >= 0, got ${options.minLift}`);
  }
  if (options.mustBeat.length === 0) {
    throw invalidParam("--must-beat needs at least one reference: baseline, champion or a MODEL_REF");
  }
  const source = { store: deps.tracker.store, trackingUri: deps.tracker.trackingUri };
  const candidate = await scoreModel(source, options.candidate, options.data, options.target);
  const candidateScore = metricOf(candidate, metric, options.candidate);
  const checks: GateCheck[] = [];
  for (const reference of options.mustBeat) {
    checks.push(await check(reference, candidate, candidateScore, metric, minLift, options, deps));
  }
  const passed = checks.every((c) => c.passed);
  const result: Omit<GateResult, "runId"> = {
    metric,
    lowerIsBetter: LOWER_IS_BETTER.has(metric),
    minLift,
    candidate: { ref: options.candidate, description: describe(candidate), score: candidateScore },
    checks,
    passed,
  };
  const mv = candidate.resolved.modelVersion;
  const run = await deps.tracker.startRun({
    experiment: options.experiment,
    runName: `gate-${passed ? "pass" : "fail"}`,
    tags: {
      "keel.command": "ci-gate",
      "keel.gate.verdict": passed ? "pass" : "fail",
      "keel.model_ref": options.candidate,
      ...(mv ? { "keel.model_version": `models:/${mv.name}/${mv.version}` } : {}),
    },
  });
  return inRun(run, async () => {
    await run.logParams({
      candidate: options.candidate,
      metric,
      must_beat: options.mustBeat.join(","),
      min_lift: minLift,
    });
    await logDataset(deps.tracker, run, options.data, "eval", deps.cwd);
    run.logMetric(`candidate_test_${metric}`, candidateScore);
    for (const c of checks) {
      const key = c.reference.replace(/[^A-Za-z0-9_.-]+/g, "_");
      if (c.score !== null) run.logMetric(`${key}_test_${metric}`, c.score);
      if (c.lift !== null) run.logMetric(`lift_${key}`, c.lift);
    }
    run.logMetric("gate_passed", passed ? 1 : 0);
    await run.logDict(result, "gate.json");
    return { runId: run.id, ...result };
  });
}

async function check(
  reference: string,
  candidate: ScoredModel,
  candidateScore: number,
  metric: string,
  minLift: number,
  options: GateOptions,
  deps: { tracker: Tracker; cwd?: string | undefined },
): Promise<GateCheck> {
  const judge = (description: string, score: number): GateCheck => {
    const l = lift(metric, candidateScore, score);
    return { reference, description, score, lift: l, passed: l > 0 && l >= minLift };
  };
  if (reference === "baseline") {
    const best = await bestBaseline(candidate, metric, options, deps);
    return judge(best.description, best.score);
  }
  const source = { store: deps.tracker.store, trackingUri: deps.tracker.trackingUri };
  let ref = reference;
  if (reference === "champion") {
    const alias = options.championAlias ?? "champion";
    const name = candidate.resolved.modelVersion?.name;
    if (name === undefined) {
      throw invalidParam(
        `--must-beat champion needs a registered candidate (models:/NAME/N or models:/NAME@alias) to know whose @${alias} to compare with; or list the champion's MODEL_REF in --must-beat`,
      );
    }
    try {
      const champion = await deps.tracker.store.getModelVersionByAlias(name, alias);
      if (champion.version === candidate.resolved.modelVersion?.version) {
        return na(reference, `models:/${name}/${champion.version}`, "the candidate is the champion");
      }
      ref = `models:/${name}/${champion.version}`;
    } catch (e) {
      if (isKeelError(e) && e.code === "RESOURCE_DOES_NOT_EXIST") {
        return na(reference, `models:/${name}@${alias}`, `no ${alias} yet: the first model passes`);
      }
      throw e;
    }
  }
  const scored = await scoreModel(source, ref, options.data, candidate.problem.target);
  return judge(describe(scored), metricOf(scored, metric, ref));
}

function na(reference: string, description: string, note: string): GateCheck {
  return { reference, description, score: null, lift: null, passed: true, note };
}

/**
 * The strongest baseline on `metric`: every dummy strategy and the one-feature rule, fitted on the
 * candidate's training data and scored on the test file.
 */
async function bestBaseline(
  candidate: ScoredModel,
  metric: string,
  options: GateOptions,
  deps: { tracker: Tracker; cwd?: string | undefined },
): Promise<{ description: string; score: number }> {
  const train = await trainingData(candidate, options, deps);
  const prepared = await prepareData({ data: train, test: options.data, target: candidate.problem.target });
  if (isClassification(prepared.problem.task) !== isClassification(candidate.problem.task)) {
    throw invalidParam(
      `The candidate is a ${candidate.problem.task} model but '${candidate.problem.target}' in the training data reads as ${prepared.problem.task}`,
    );
  }
  const rows = scoreBaselines(
    prepared.train,
    prepared.test!,
    prepared.problem,
    prepared.roles,
    options.seed ?? 0,
  );
  let best: { description: string; score: number } | undefined;
  for (const row of rows) {
    const score = row.metrics[metric];
    if (score === undefined) continue;
    if (!best || lift(metric, score, best.score) > 0)
      best = { description: `${row.name} (${row.description})`, score };
  }
  if (!best) throw invalidParam(`No baseline reports '${metric}' for this task`);
  return best;
}

/** `--train`, else the dataset recorded in model.json when it is still there, unchanged. */
async function trainingData(
  candidate: ScoredModel,
  options: GateOptions,
  deps: { tracker: Tracker; cwd?: string | undefined },
): Promise<string> {
  if (options.train !== undefined) return options.train;
  const recorded = candidate.manifest.training;
  const hint = "pass the training data with --train FILE";
  if (!recorded) throw invalidParam(`The candidate's model.json records no training data: ${hint}`);
  const path = resolve(deps.cwd ?? process.cwd(), recorded.dataset);
  const readable = await access(path).then(
    () => true,
    () => false,
  );
  if (!readable) {
    throw invalidParam(
      `The candidate was trained on ${recorded.dataset}, which is not readable here: ${hint}`,
    );
  }
  const now = await describeDataset(deps.tracker, recorded.dataset, deps.cwd);
  if (now.digest !== recorded.digest) {
    throw invalidParam(
      `The candidate's training data ${recorded.dataset} changed since training (digest ${recorded.digest.slice(0, 12)} -> ${now.digest.slice(0, 12)}): ${hint}`,
    );
  }
  return path;
}

function metricOf(scored: ScoredModel, metric: string, ref: string): number {
  const value = scored.metrics[`test_${metric}`];
  if (value === undefined) {
    const known = Object.keys(scored.metrics).map((k) => k.replace(/^test_/, ""));
    throw invalidParam(
      `${ref} has no '${metric}' on this data; metrics for a ${scored.problem.task} model: ${known.join(", ")}`,
    );
  }
  return value;
}

function describe(scored: ScoredModel): string {
  const mv = scored.resolved.modelVersion;
  return mv ? `models:/${mv.name}/${mv.version}` : scored.resolved.uri;
}
