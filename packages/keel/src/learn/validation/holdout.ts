import { invalidParam } from "../../errors.js";
import { Rng } from "../core/random.js";
import { rowRange } from "../core/row-range.js";
import type { Fold } from "./splitter.js";

/** Options of {@link holdoutSplit}. */
export interface HoldoutOptions {
  /** Fraction (0..1) or number of test rows (default 0.25, like train_test_split). */
  testSize?: number;
  /** Shuffle before splitting (default true); false keeps the last rows for test (time order). */
  shuffle?: boolean;
  /** Seed of the shuffle. */
  seed?: number;
  /** Class indices: keep class proportions in both parts. */
  stratify?: ArrayLike<number>;
}

/**
 * One train/test split (scikit-learn's train_test_split sizes: test = ceil(testSize × n)).
 * Stratified splits allocate each class's test rows in proportion, largest remainders first.
 */
export function holdoutSplit(nRows: number, options: HoldoutOptions = {}): Fold {
  const { testSize = 0.25, shuffle = true, seed = 0, stratify } = options;
  const nTest = testSize < 1 ? Math.ceil(testSize * nRows) : Math.floor(testSize);
  if (!(testSize > 0) || nTest >= nRows || nTest === 0) {
    throw invalidParam(`holdout testSize=${testSize} leaves no train or no test rows out of ${nRows}`);
  }
  const rng = new Rng(seed);
  const isTest = new Uint8Array(nRows);
  if (!stratify) {
    const order = shuffle ? rng.permutation(nRows) : rowRange(0, nRows);
    const from = shuffle ? 0 : nRows - nTest;
    for (let i = from; i < from + nTest; i++) isTest[order[i]!] = 1;
  } else {
    if (!shuffle) throw invalidParam("A stratified holdout needs shuffle: true");
    const byClass = new Map<number, number[]>();
    for (let i = 0; i < nRows; i++) {
      const list = byClass.get(stratify[i]!) ?? [];
      list.push(i);
      byClass.set(stratify[i]!, list);
    }
    const classes = [...byClass.keys()].sort((a, b) => a - b);
    const exact = classes.map((c) => (byClass.get(c)!.length * nTest) / nRows);
    const take = exact.map(Math.floor);
    let left = nTest - take.reduce((a, b) => a + b, 0);
    const byRemainder = classes
      .map((_, i) => i)
      .sort((a, b) => exact[b]! - take[b]! - (exact[a]! - take[a]!) || a - b);
    for (const i of byRemainder) if (left-- > 0) take[i]!++;
    classes.forEach((c, i) => {
      const rows = rng.shuffle(byClass.get(c)!.slice());
      for (let r = 0; r < take[i]!; r++) isTest[rows[r]!] = 1;
    });
  }
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < nRows; i++) (isTest[i] ? test : train).push(i);
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}
