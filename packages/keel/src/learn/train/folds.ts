/**
 * Row splits for evaluation: a seeded holdout and (stratified) k-fold. learn/validation owns the
 * general splitters; these are the two `keel train` needs, kept here until that module lands.
 */
import { invalidParam } from "../../errors.js";
import { Rng } from "../core/random.js";

/** Train and test row indices of one split. */
export interface RowSplit {
  /** Rows to fit on. */
  readonly train: Int32Array;
  /** Rows to score on. */
  readonly test: Int32Array;
}

/**
 * `k` folds over `n` rows; with class labels `y` each fold keeps the class proportions
 * (stratified: every class's shuffled rows are dealt round-robin across folds).
 */
export function kFoldSplits(n: number, k: number, seed: number, y?: Int32Array): RowSplit[] {
  if (!Number.isInteger(k) || k < 2) throw invalidParam(`--cv must be an integer >= 2, got ${k}`);
  if (k > n) throw invalidParam(`--cv ${k} needs at least ${k} rows, but the data has ${n}`);
  const fold = foldOfRows(n, k, seed, y);
  if (y) {
    const counts = new Map<number, number>();
    for (const c of y) counts.set(c, (counts.get(c) ?? 0) + 1);
    const smallest = Math.min(...counts.values());
    if (smallest < k) {
      throw invalidParam(
        `--cv ${k}: the rarest class has only ${smallest} row(s), fewer than the ${k} folds; lower --cv`,
      );
    }
  }
  return Array.from({ length: k }, (_, f) => splitWhere(fold, (v) => v === f));
}

/** One seeded holdout split putting `fraction` of the rows in test (stratified when `y` is given). */
export function holdoutSplit(n: number, fraction: number, seed: number, y?: Int32Array): RowSplit {
  if (!(fraction > 0 && fraction < 1))
    throw invalidParam(`holdout fraction must be in (0, 1), got ${fraction}`);
  const k = Math.round(1 / fraction);
  if (n < k) throw invalidParam(`The data has ${n} rows: too few to hold out a test set; pass --test FILE`);
  const fold = foldOfRows(n, k, seed, y);
  return splitWhere(fold, (v) => v === 0);
}

function foldOfRows(n: number, k: number, seed: number, y?: Int32Array): Int32Array {
  const rng = new Rng(seed);
  const order = rng.permutation(n);
  const fold = new Int32Array(n);
  if (!y) {
    for (let i = 0; i < n; i++) fold[order[i]!] = i % k;
    return fold;
  }
  // Deal each class's rows round-robin, continuing the count across classes so fold sizes stay even.
  const next = new Map<number, number>();
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const row = order[i]!;
    const c = y[row]!;
    let at = next.get(c);
    if (at === undefined) {
      at = offset++;
    }
    fold[row] = at % k;
    next.set(c, at + 1);
  }
  return fold;
}

function splitWhere(fold: Int32Array, isTest: (f: number) => boolean): RowSplit {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < fold.length; i++) (isTest(fold[i]!) ? test : train).push(i);
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}
