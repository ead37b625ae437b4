import { invalidParam } from "../../errors.js";
import type { IterationCallback } from "../core/capabilities.js";
import { type Matrix, takeMatrixRows } from "../core/matrix.js";
import { Rng } from "../core/random.js";
import { rowRange } from "../core/row-range.js";
import type { TreeArrays } from "../tree/tree-arrays.js";
import { addTreeOutputs, float32Rows, leafIndex } from "../tree/tree-predict.js";
import { type BinMapper, binRowMajor, fitBinMapper } from "./bin-mapper.js";
import { activeBoostingDataCache, type PreparedBoostingData } from "./boosting-data-cache.js";
import type { BoostingLoss } from "./boosting-loss.js";
import type { BoostingParams } from "./boosting-params.js";
import { resolveJobs } from "./grow-forest.js";
import { HistGrower } from "./hist-grower.js";
import { lossMeter } from "./loss-meter.js";
import { columnMajorBins, createSharedBoostData, setSample } from "./shard-executor.js";
import { ShardPool } from "./shard-pool.js";
import { SharedArena } from "./wasm/shared-arena.js";

/** Rows above which `earlyStopping: "auto"` turns on (scikit-learn's rule). */
export const AUTO_EARLY_STOPPING_ROWS = 10_000;
/** Training rows scored for the training curve (a fixed subsample, like scikit-learn's scorer path). */
const TRAIN_CURVE_ROWS = 10_000;

/** A fitted boosting ensemble: what predictions and the ONNX export need. */
export interface BoostedEnsemble {
  /** Trees, iteration-major: tree `t` adds to output `t % treesPerIteration`. */
  readonly trees: TreeArrays[];
  /** Outputs per row (1 for binary and regression, nClasses for multiclass). */
  readonly treesPerIteration: number;
  /** Raw score each output starts from. */
  readonly baseline: Float64Array;
  /** Iterations kept (less than maxIter after early stopping). */
  readonly nIter: number;
  /** Training loss after each iteration (on a fixed subsample of at most 10,000 training rows); index 0 = baseline. */
  readonly trainLoss: Float64Array;
  /** Validation loss after each iteration (index 0 = baseline), when a validation set was used. */
  readonly validLoss: Float64Array | null;
  /** Split-gain importance per feature, normalized to sum 1. */
  readonly featureImportances: Float64Array;
}

/** Inputs of {@link boost} besides the params. */
export interface BoostInput {
  /** Training features. */
  readonly X: Matrix;
  /** Targets (class indices or values). */
  readonly y: Int32Array | Float64Array;
  /** Stratify the internal validation split on these labels (classifiers). */
  readonly stratify: boolean;
  /** Validation data given by the caller (replaces the internal split). */
  readonly evalSet?: { X: Matrix; y: Int32Array | Float64Array } | undefined;
  /** Training-curve hook: `(iteration, { train_loss, valid_loss? })` after each iteration (1-based). */
  readonly onIteration?: IterationCallback | undefined;
}

/**
 * Histogram gradient boosting (scikit-learn's HistGradientBoosting with xgboost's row and
 * column subsampling): bins the features once into shared memory split in row shards (see
 * shard-executor.ts; worked by up to `nJobs` threads), then per iteration computes gradients,
 * grows one tree per output with {@link HistGrower} and updates the raw scores. With early
 * stopping the validation loss is checked after every iteration with scikit-learn's
 * `_should_stop` rule.
 */
export function boost(input: BoostInput, loss: BoostingLoss, p: BoostingParams): BoostedEnsemble {
  const early = p.earlyStopping === "auto" ? input.X.nRows > AUTO_EARLY_STOPPING_ROWS : p.earlyStopping;
  const prepared = prepareData(input, early, p);
  const ytr = prepared.ytr ?? input.y;
  const arena = new SharedArena();
  const data = createSharedBoostData(
    {
      bins: prepared.bins,
      colBins: prepared.colBins,
      nRows: ytr.length,
      nFeatures: input.X.nCols,
      missingBin: prepared.mapper.missingBin,
      binCounts: prepared.mapper.edges.map((e) => e.length + 1),
      y: ytr,
      loss: loss.spec,
      k: loss.k,
      nThreads: resolveJobs(p.nJobs, Number.MAX_SAFE_INTEGER),
    },
    arena,
  );
  const pool = new ShardPool(data, arena);
  try {
    // Raw training rows are needed only to score the rows a subsampled tree did not see.
    const Xtr = p.subsample < 1 ? trainingRows(input.X, prepared.trainRows) : null;
    const parts = { Xtr, ytr, Xva: prepared.Xva, yva: prepared.yva, early };
    return boostOn(pool, prepared.mapper, parts, input, loss, p, prepared.rng.clone());
  } finally {
    pool.close();
  }
}

/**
 * The validation split, bin edges and binned rows of a fit (seeded by `p.seed`), served by the
 * active {@link BoostingDataCache} when there is one (not with a caller's `evalSet`).
 */
function prepareData(input: BoostInput, early: boolean, p: BoostingParams): PreparedBoostingData {
  const prepare = (): PreparedBoostingData => {
    const rng = new Rng(p.seed);
    const split = splitValidation(input, early, p.validationFraction, rng);
    const Xtr = trainingRows(input.X, split.trainRows);
    const mapper = fitBinMapper(Xtr, p.maxBins, rng);
    const bins = binRowMajor(Xtr, mapper);
    return { ...split, mapper, bins, colBins: columnMajorBins(bins, Xtr.nRows, Xtr.nCols), rng };
  };
  const cache = activeBoostingDataCache();
  if (!cache || input.evalSet) return prepare();
  const key = cache.keyOf(input.X, input.y, {
    seed: p.seed,
    maxBins: p.maxBins,
    early,
    validationFraction: p.validationFraction,
    stratify: input.stratify,
  });
  return cache.getOrCompute(key, prepare);
}

/** The rows of `X` trees are grown on (all of them when `rows` is null). */
function trainingRows(X: Matrix, rows: Int32Array | null): Matrix {
  return rows ? takeMatrixRows(X, rows) : X;
}

// The boosting loop proper, on binned data held by `pool`.
function boostOn(
  pool: ShardPool,
  mapper: BinMapper,
  parts: Pick<ValidationSplit, "Xva" | "yva"> & {
    Xtr: Matrix | null;
    ytr: Int32Array | Float64Array;
    early: boolean;
  },
  input: BoostInput,
  loss: BoostingLoss,
  p: BoostingParams,
  rng: Rng,
): BoostedEnsemble {
  const { Xtr, ytr, Xva, yva, early } = parts;
  const n = ytr.length;
  const K = loss.k;
  const grower = new HistGrower(pool, mapper, {
    maxLeafNodes: p.maxLeafNodes ?? Number.POSITIVE_INFINITY,
    maxDepth: p.maxDepth ?? Number.POSITIVE_INFINITY,
    minSamplesLeaf: p.minSamplesLeaf,
    minChildWeight: p.minChildWeight,
    l2: p.l2Regularization,
    learningRate: p.learningRate,
  });
  const allRows = rowRange(0, n);
  const baseline = loss.baseline(ytr, allRows);
  const raw = pool.data.raw;
  fillRows(raw, baseline);
  // Validation scores and targets in the shared arena, where the loss kernel reads them.
  const rawVa = Xva ? pool.arena.take(Float64Array, Xva.nRows * K) : null;
  if (rawVa) fillRows(rawVa, baseline);
  const yvaArena = yva ? pool.arena.take(Float64Array, yva.length) : null;
  yvaArena?.set(yva!);
  const vaRows32 = Xva ? float32Rows(Xva.columns, Xva.nRows) : null;
  const curveRows = n <= TRAIN_CURVE_ROWS ? allRows : sampleSorted(n, TRAIN_CURVE_ROWS, rng);
  const trainMeter = lossMeter(pool, loss, raw, pool.data.y, curveRows);
  const validMeter = rawVa ? lossMeter(pool, loss, rawVa, yvaArena!, rowRange(0, Xva!.nRows)) : null;
  const trainLoss = [trainMeter()];
  const validLoss = validMeter ? [validMeter()] : null;

  const inSample = new Uint8Array(n);
  const allowed = new Uint8Array(input.X.nCols);
  const trees: TreeArrays[] = [];
  const nCols = Math.max(1, Math.round(p.colsampleBytree * input.X.nCols));
  setSample(pool.data, null);
  let iter = 0;
  while (iter < p.maxIter) {
    if (p.subsample < 1) {
      const rows = sampleSorted(n, Math.max(1, Math.floor(p.subsample * n)), rng);
      setSample(pool.data, rows);
      inSample.fill(0);
      for (let k = 0; k < rows.length; k++) inSample[rows[k]!] = 1;
    }
    for (let c = 0; c < K; c++) {
      drawFeatures(allowed, nCols, rng);
      const tree = grower.grow(c, c === 0, allowed);
      if (Xtr) addOutOfSample(tree, Xtr, inSample, raw, K, c);
      if (rawVa) addTreeOutputs(tree, vaRows32!, rawVa, K, c);
      trees.push(tree);
    }
    iter++;
    trainLoss.push(trainMeter());
    if (validLoss) validLoss.push(validMeter!());
    input.onIteration?.(iter, {
      train_loss: trainLoss[iter]!,
      ...(validLoss ? { valid_loss: validLoss[iter]! } : {}),
    });
    if (early && validLoss && shouldStop(validLoss, p.nIterNoChange, p.tol)) break;
  }
  const gains = grower.gains;
  let total = 0;
  for (const v of gains) total += v;
  return {
    trees,
    treesPerIteration: K,
    baseline,
    nIter: iter,
    trainLoss: Float64Array.from(trainLoss),
    validLoss: validLoss ? Float64Array.from(validLoss) : null,
    featureImportances: total > 0 ? gains.map((v) => v / total) : gains,
  };
}

/**
 * scikit-learn's `_should_stop` on losses: stop when none of the last `nIterNoChange` losses
 * beats the one `nIterNoChange` iterations before them by more than `tol`.
 */
export function shouldStop(losses: readonly number[], nIterNoChange: number, tol: number): boolean {
  const ref = nIterNoChange + 1;
  if (losses.length < ref) return false;
  const reference = -losses[losses.length - ref]! + tol;
  for (let i = losses.length - nIterNoChange; i < losses.length; i++)
    if (-losses[i]! > reference) return false;
  return true;
}

/** Which rows boosting trains on and which it validates on. */
type ValidationSplit = Pick<PreparedBoostingData, "trainRows" | "ytr" | "Xva" | "yva">;

function splitValidation(input: BoostInput, early: boolean, fraction: number, rng: Rng): ValidationSplit {
  const all = { trainRows: null, ytr: null };
  if (input.evalSet) {
    if (input.evalSet.X.nCols !== input.X.nCols) {
      throw invalidParam(
        `evalSet has ${input.evalSet.X.nCols} features but the training data has ${input.X.nCols}: pass the same columns`,
      );
    }
    return { ...all, Xva: input.evalSet.X, yva: input.evalSet.y };
  }
  if (!early) return { ...all, Xva: null, yva: null };
  const n = input.X.nRows;
  const isVal = new Uint8Array(n);
  if (input.stratify) {
    // Per class, hold out round(fraction * count) random rows (like a stratified train_test_split).
    const byClass = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const c = input.y[i]!;
      const list = byClass.get(c);
      if (list) list.push(i);
      else byClass.set(c, [i]);
    }
    for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
      const list = Int32Array.from(byClass.get(c)!);
      rng.shuffle(list);
      const take = Math.round(fraction * list.length);
      for (let k = 0; k < take; k++) isVal[list[k]!] = 1;
    }
  } else {
    const perm = rng.permutation(n);
    const take = Math.max(1, Math.round(fraction * n));
    for (let k = 0; k < take; k++) isVal[perm[k]!] = 1;
  }
  const tr: number[] = [];
  const va: number[] = [];
  for (let i = 0; i < n; i++) (isVal[i] ? va : tr).push(i);
  if (va.length === 0 || tr.length === 0) return { ...all, Xva: null, yva: null };
  const take = <T extends Int32Array | Float64Array>(y: T, idx: number[]): T => {
    const out = new (y.constructor as new (n: number) => T)(idx.length);
    for (let k = 0; k < idx.length; k++) out[k] = y[idx[k]!]!;
    return out;
  };
  return {
    trainRows: Int32Array.from(tr),
    ytr: take(input.y, tr),
    Xva: takeMatrixRows(input.X, va),
    yva: take(input.y, va),
  };
}

/** Every row of `raw` (row-major, `baseline.length` per row) set to `baseline`. */
function fillRows(raw: Float64Array, baseline: Float64Array): void {
  const k = baseline.length;
  if (k === 1) raw.fill(baseline[0]!);
  else for (let i = 0; i < raw.length; i += k) raw.set(baseline, i);
}

// `k` distinct rows of 0..n-1 in ascending order (partial Fisher-Yates, then a mask pass).
function sampleSorted(n: number, k: number, rng: Rng): Int32Array {
  const perm = rowRange(0, n);
  const mask = new Uint8Array(n);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
    mask[perm[i]!] = 1;
  }
  const out = new Int32Array(k);
  for (let i = 0, m = 0; i < n; i++) if (mask[i]) out[m++] = i;
  return out;
}

function drawFeatures(allowed: Uint8Array, count: number, rng: Rng): void {
  const p = allowed.length;
  if (count >= p) {
    allowed.fill(1);
    return;
  }
  allowed.fill(0);
  const perm = rng.permutation(p);
  for (let i = 0; i < count; i++) allowed[perm[i]!] = 1;
}

function addOutOfSample(
  tree: TreeArrays,
  X: Matrix,
  inSample: Uint8Array,
  raw: Float64Array,
  K: number,
  c: number,
): void {
  const value = tree.value;
  for (let i = 0; i < X.nRows; i++) {
    if (inSample[i]) continue;
    raw[i * K + c]! += value[leafIndex(tree, X.columns, i)]!;
  }
}
