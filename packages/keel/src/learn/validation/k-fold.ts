import { invalidParam } from "../../errors.js";
import { Rng } from "../core/random.js";
import { rowRange } from "../core/row-range.js";
import { type Fold, foldFromMask, type SplitInput, type Splitter } from "./splitter.js";

/** Options of {@link KFold} and {@link StratifiedKFold}. */
export interface KFoldOptions {
  /** Number of folds (>= 2). */
  nSplits?: number;
  /** Shuffle rows before cutting folds (seeded). */
  shuffle?: boolean;
  /** Seed used when shuffling. */
  seed?: number;
}

/** Validates a fold count against the data. */
export function checkSplits(nSplits: number, nRows: number, who: string): void {
  if (!Number.isInteger(nSplits) || nSplits < 2)
    throw invalidParam(`${who} nSplits=${nSplits}: use an integer >= 2`);
  if (nSplits > nRows)
    throw invalidParam(`${who} cannot make ${nSplits} folds from ${nRows} rows: lower nSplits`);
}

/**
 * K consecutive folds (scikit-learn's KFold): the first n % k folds get one extra row; with
 * `shuffle`, rows are permuted first (seeded; the permutation differs from numpy's).
 * @example
 * new KFold({ nSplits: 3 }).split({ nRows: 7 }).map((f) => Array.from(f.test)); // [[0,1,2],[3,4],[5,6]]
 */
export class KFold implements Splitter {
  readonly #options: Required<KFoldOptions>;

  constructor(options: KFoldOptions = {}) {
    this.#options = Object.freeze({ nSplits: 5, shuffle: false, seed: 0, ...options });
  }

  /** Number of folds. */
  get nSplits(): number {
    return this.#options.nSplits;
  }

  /** The folds. */
  split({ nRows }: SplitInput): Fold[] {
    const { nSplits, shuffle, seed } = this.#options;
    checkSplits(nSplits, nRows, "KFold");
    const order = shuffle ? new Rng(seed).permutation(nRows) : rowRange(0, nRows);
    const folds: Fold[] = [];
    let start = 0;
    for (let f = 0; f < nSplits; f++) {
      const size = Math.floor(nRows / nSplits) + (f < nRows % nSplits ? 1 : 0);
      const mask = new Uint8Array(nRows);
      for (let i = start; i < start + size; i++) mask[order[i]!] = 1;
      folds.push(foldFromMask(mask));
      start += size;
    }
    return folds;
  }
}

/**
 * Folds that keep class proportions (scikit-learn 1.2's StratifiedKFold allocation: classes in
 * order of first appearance, rows sorted by class dealt round-robin to folds). Without shuffle
 * the folds equal scikit-learn's exactly.
 */
export class StratifiedKFold implements Splitter {
  readonly #options: Required<KFoldOptions>;

  constructor(options: KFoldOptions = {}) {
    this.#options = Object.freeze({ nSplits: 5, shuffle: false, seed: 0, ...options });
  }

  /** Number of folds. */
  get nSplits(): number {
    return this.#options.nSplits;
  }

  /** The folds; `y` is required. */
  split({ nRows, y }: SplitInput): Fold[] {
    const { nSplits, shuffle, seed } = this.#options;
    if (!y || y.length !== nRows) throw invalidParam("StratifiedKFold needs y (class indices), one per row");
    checkSplits(nSplits, nRows, "StratifiedKFold");
    // Classes numbered by first appearance, as sklearn's encoding does.
    const code = new Map<number, number>();
    const enc = new Int32Array(nRows);
    for (let i = 0; i < nRows; i++) {
      if (!code.has(y[i]!)) code.set(y[i]!, code.size);
      enc[i] = code.get(y[i]!)!;
    }
    const k = code.size;
    const counts = new Int32Array(k);
    for (const c of enc) counts[c]!++;
    if (counts.every((c) => c < nSplits)) {
      throw invalidParam(
        `StratifiedKFold: nSplits=${nSplits} is greater than the number of rows in every class`,
      );
    }
    // allocation[f][c] = rows of class c in fold f: the class-sorted rows dealt f, f+n, f+2n...
    const sortedClasses = Int32Array.from(enc).sort();
    const allocation = Array.from({ length: nSplits }, () => new Int32Array(k));
    for (let i = 0; i < nRows; i++) allocation[i % nSplits]![sortedClasses[i]!]!++;
    const rng = new Rng(seed);
    const testFold = new Int32Array(nRows);
    for (let c = 0; c < k; c++) {
      const folds: number[] = [];
      for (let f = 0; f < nSplits; f++) for (let r = 0; r < allocation[f]![c]!; r++) folds.push(f);
      if (shuffle) rng.shuffle(folds);
      let next = 0;
      for (let i = 0; i < nRows; i++) if (enc[i] === c) testFold[i] = folds[next++]!;
    }
    return Array.from({ length: nSplits }, (_, f) =>
      foldFromMask(Uint8Array.from(testFold, (t) => (t === f ? 1 : 0))),
    );
  }
}
