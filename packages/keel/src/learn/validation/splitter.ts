import { rowRange } from "../core/row-range.js";

/** One train/test split: sorted row indices. */
export interface Fold {
  /** Training rows. */
  readonly train: Int32Array;
  /** Test rows. */
  readonly test: Int32Array;
}

/** What a splitter may need besides the row count. */
export interface SplitInput {
  /** Number of rows. */
  readonly nRows: number;
  /** Class indices (stratified splitters). */
  readonly y?: ArrayLike<number>;
  /** Group id per row (group splitters): rows of a group never straddle train and test. */
  readonly groups?: ArrayLike<number | string>;
}

/** A cross-validation scheme (scikit-learn's splitters). */
export interface Splitter {
  /** Number of folds produced. */
  readonly nSplits: number;
  /** The folds for this data. */
  split(input: SplitInput): Fold[];
}

/** Test rows of a fold given as a membership mask: train = the complement, both sorted. */
export function foldFromMask(isTest: Uint8Array): Fold {
  const test: number[] = [];
  const train: number[] = [];
  for (let i = 0; i < isTest.length; i++) (isTest[i] ? test : train).push(i);
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}

/** start..end-1. */
export const range = rowRange;
