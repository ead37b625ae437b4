/**
 * One trial's evaluation: k-fold cross-validation of the config's pipeline on the training data,
 * with the budget applied (fewer boosting rounds, or a stratified share of each fold's training
 * rows). The same code runs in-process and in search workers, so both give identical scores.
 */
import { Rng } from "../../learn/core/random.js";
import { BoostingDataCache, withBoostingDataCache } from "../../learn/ensemble/boosting-data-cache.js";
import { defaultPipeline } from "../../learn/pipeline/index.js";
import {
  fitPipeline,
  type LabelledData,
  type Problem,
  predict,
  scorePredictions,
  takeRows,
} from "../../learn/train/fit-evaluate.js";
import { kFoldSplits, type RowSplit } from "../../learn/train/folds.js";
import { foldSummary, type Scores } from "../../learn/train/scores.js";
import { isClassification } from "../../learn/train/task.js";
import type { ColumnRoles } from "../../learn/transform/column-roles.js";
import { LruByteCache } from "../../util/lru-byte-cache.js";
import type { Proposal } from "../strategies/strategy.js";
import { type TrialModelSettings, trialModel } from "./trial-model.js";

/** The prepared problem every trial of a search shares (plain data: workers get a structured clone). */
export interface TrialData {
  /** Task, target, classes. */
  readonly problem: Problem;
  /** Training features and encoded target. */
  readonly train: LabelledData;
  /** Inferred column roles. */
  readonly roles: ColumnRoles;
}

/** How trials are evaluated. */
export interface TrialSettings extends TrialModelSettings {
  /** Cross-validation folds (the same folds for every trial). */
  readonly cv: number;
  /** Metric whose mean and std decide the trial. */
  readonly metric: string;
}

/** What a trial produced. */
export interface TrialOutcome {
  /** FINISHED with metrics, or FAILED with an error. */
  readonly status: "FINISHED" | "FAILED";
  /** `cv_<metric>_mean` / `cv_<metric>_std` of every metric (FINISHED only). */
  readonly metrics: Scores;
  /** Time spent fitting and scoring the folds, summed over the folds, in seconds. */
  readonly fitTimeS: number;
  /** Why the trial failed. */
  readonly error?: string;
}

/** One fold of a trial: its scores, or the error that stopped it. */
export type FoldResult =
  | { readonly scores: Scores; readonly fitTimeS: number }
  | { readonly error: string; readonly fitTimeS: number };

/**
 * A trial's outcome from its folds' results (in fold order): FAILED with the first fold's error
 * when one failed, else the folds' mean and std of every metric.
 */
export function summarizeFolds(folds: readonly FoldResult[], metric: string): TrialOutcome {
  const fitTimeS = folds.reduce((s, f) => s + f.fitTimeS, 0);
  const failed = folds.find((f) => "error" in f);
  if (failed && "error" in failed) return { status: "FAILED", metrics: {}, fitTimeS, error: failed.error };
  const metrics = foldSummary(folds.map((f) => ("scores" in f ? f.scores : {})));
  if (!Number.isFinite(metrics[`cv_${metric}_mean`])) {
    const error = `metric '${metric}' could not be computed on the folds of this trial`;
    return { status: "FAILED", metrics: {}, fitTimeS, error };
  }
  return { status: "FINISHED", metrics, fitTimeS };
}

/** Most bytes of fold training copies one evaluator keeps (one per search worker). */
const FOLD_CACHE_BYTES = 256 * 1024 * 1024;

/** Approximate bytes of a labelled table (8 per numeric value or string reference). */
function labelledBytes(d: LabelledData): number {
  return d.X.rowCount * d.X.columns.length * 8 + d.y.byteLength;
}

/**
 * Evaluates trials on fixed folds (seeded by the search seed). Row subsamples are seeded per fold
 * and nested: a smaller budget's rows are a subset of a larger one's, so budgets compare fairly.
 * Each fold's training rows are copied once, and boosting fits share their binned fold data
 * across trials (see boosting-data-cache.ts): the folds and the seed are fixed, so every trial
 * on a fold would copy and bin the same rows again.
 */
export class TrialEvaluator {
  readonly #data: TrialData;
  readonly #settings: TrialSettings;
  readonly #splits: readonly RowSplit[];
  readonly #foldSeeds: readonly number[];
  readonly #testFolds: (LabelledData | undefined)[];
  // Fold data is never written to (checkEstimator holds every step to that): digests by identity.
  readonly #boostingData = new BoostingDataCache({ immutableInputs: true });
  // Each fold's training rows, copied once rather than for every trial.
  readonly #foldTrain = new LruByteCache<LabelledData>(FOLD_CACHE_BYTES, labelledBytes);

  constructor(data: TrialData, settings: TrialSettings) {
    this.#data = data;
    this.#settings = settings;
    const y = isClassification(data.problem.task) ? (data.train.y as Int32Array) : undefined;
    this.#splits = kFoldSplits(data.train.X.rowCount, settings.cv, settings.seed, y);
    const rng = new Rng(settings.seed);
    this.#foldSeeds = this.#splits.map(() => rng.childSeed());
    this.#testFolds = this.#splits.map(() => undefined);
  }

  /** Number of cross-validation folds. */
  get folds(): number {
    return this.#splits.length;
  }

  /**
   * The trial as steps: it yields before each fold (a point where a caller may stop it) and
   * returns the outcome. Errors of the estimator become a FAILED outcome, never an exception.
   */
  *steps(proposal: Proposal): Generator<void, TrialOutcome, void> {
    const folds: FoldResult[] = [];
    for (let f = 0; f < this.#splits.length; f++) {
      yield;
      const result = this.evaluateFold(proposal, f);
      folds.push(result);
      if ("error" in result) break; // the other folds would fail alike
    }
    return summarizeFolds(folds, this.#settings.metric);
  }

  /**
   * Fits the trial's pipeline on fold `f`'s training rows and scores it on the fold's held-out
   * rows (worker threads run folds of one trial side by side). Never throws for the estimator.
   */
  evaluateFold(proposal: Proposal, f: number): FoldResult {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const { problem, train, roles } = this.#data;
    try {
      const tm = trialModel(proposal.config, proposal.budget, problem.task, this.#settings);
      const pipe = defaultPipeline(roles, tm.estimator, tm.entry.preprocess);
      const fold = this.#foldTrain.getOrCompute(`${f}/${tm.rowFraction}`, () =>
        takeRows(train, this.#trainRows(f, tm.rowFraction)),
      );
      const fitted = withBoostingDataCache(this.#boostingData, () => fitPipeline(pipe, fold, problem));
      const test = this.#testFold(f);
      return {
        scores: scorePredictions(problem, test.y, predict(fitted, test.X, problem)),
        fitTimeS: seconds(),
      };
    } catch (e) {
      return { error: errorText(e), fitTimeS: seconds() };
    }
  }

  /** Held-out rows of fold `f` (built once). */
  #testFold(f: number): LabelledData {
    this.#testFolds[f] ??= takeRows(this.#data.train, this.#splits[f]!.test);
    return this.#testFolds[f]!;
  }

  /** Training rows of fold `f`: all of them, or a seeded, stratified share. */
  #trainRows(f: number, fraction: number): Int32Array {
    const rows = this.#splits[f]!.train;
    if (fraction >= 1) return rows;
    const y = isClassification(this.#data.problem.task) ? (this.#data.train.y as Int32Array) : undefined;
    return subsampleRows(rows, fraction, this.#foldSeeds[f]!, y);
  }
}

/**
 * A share of `rows` (at least one row per class with `y`), drawn per class from one seeded
 * permutation so that smaller fractions pick subsets of larger ones. Returned in ascending order.
 */
export function subsampleRows(rows: Int32Array, fraction: number, seed: number, y?: Int32Array): Int32Array {
  const groups = new Map<number, number[]>();
  for (const r of rows) {
    const key = y ? y[r]! : 0;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const picked: number[] = [];
  const keys = [...groups.keys()].sort((a, b) => a - b);
  for (const key of keys) {
    const group = groups.get(key)!;
    const order = new Rng(seed + key).permutation(group.length);
    const take = Math.max(1, Math.round(group.length * fraction));
    for (let i = 0; i < take; i++) picked.push(group[order[i]!]!);
  }
  return Int32Array.from(picked).sort();
}

/** An error as one line of text for a run tag. */
export function errorText(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.length > 5000 ? `${text.slice(0, 4997)}...` : text;
}
