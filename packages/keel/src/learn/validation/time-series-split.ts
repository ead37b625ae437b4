import { invalidParam } from "../../errors.js";
import { type Fold, range, type SplitInput, type Splitter } from "./splitter.js";

/** Options of {@link TimeSeriesSplit} (scikit-learn's names in camelCase). */
export interface TimeSeriesSplitOptions {
  /** Number of folds. */
  nSplits?: number;
  /** Cap on training rows (the most recent ones are kept). */
  maxTrainSize?: number | null;
  /** Test rows per fold (default n / (nSplits + 1)). */
  testSize?: number | null;
  /** Rows skipped between train and test. */
  gap?: number;
}

/**
 * Expanding-window splits for rows in time order (scikit-learn's TimeSeriesSplit): each test
 * block follows its training rows, never precedes them.
 * @example
 * new TimeSeriesSplit({ nSplits: 2 }).split({ nRows: 6 }).map((f) => [f.train.length, f.test[0]]); // [[2, 2], [4, 4]]
 */
export class TimeSeriesSplit implements Splitter {
  readonly #options: Required<TimeSeriesSplitOptions>;

  constructor(options: TimeSeriesSplitOptions = {}) {
    this.#options = Object.freeze({ nSplits: 5, maxTrainSize: null, testSize: null, gap: 0, ...options });
  }

  /** Number of folds. */
  get nSplits(): number {
    return this.#options.nSplits;
  }

  /** The folds. */
  split({ nRows }: SplitInput): Fold[] {
    const { nSplits, maxTrainSize, gap } = this.#options;
    const nFolds = nSplits + 1;
    const testSize = this.#options.testSize ?? Math.floor(nRows / nFolds);
    if (nFolds > nRows)
      throw invalidParam(`TimeSeriesSplit cannot make ${nSplits} splits from ${nRows} rows`);
    if (nRows - gap - testSize * nSplits <= 0) {
      throw invalidParam(
        `TimeSeriesSplit: too many splits (${nSplits}) for ${nRows} rows with testSize=${testSize} and gap=${gap}`,
      );
    }
    const folds: Fold[] = [];
    for (let start = nRows - nSplits * testSize; start < nRows; start += testSize) {
      const trainEnd = start - gap;
      const trainStart = maxTrainSize !== null && maxTrainSize < trainEnd ? trainEnd - maxTrainSize : 0;
      folds.push({ train: range(trainStart, trainEnd), test: range(start, start + testSize) });
    }
    return folds;
  }
}
