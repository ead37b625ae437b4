import { invalidParam } from "../../errors.js";
import { checkSplits } from "./k-fold.js";
import { type Fold, foldFromMask, type SplitInput, type Splitter } from "./splitter.js";

/**
 * Folds that never split a group (scikit-learn 1.2's GroupKFold): groups, largest first, go to
 * the fold with the fewest rows so far.
 */
export class GroupKFold implements Splitter {
  readonly #nSplits: number;

  constructor(options: { nSplits?: number } = {}) {
    this.#nSplits = options.nSplits ?? 5;
  }

  /** Number of folds. */
  get nSplits(): number {
    return this.#nSplits;
  }

  /** The folds; `groups` is required. */
  split({ nRows, groups }: SplitInput): Fold[] {
    if (!groups || groups.length !== nRows) throw invalidParam("GroupKFold needs groups, one per row");
    checkSplits(this.#nSplits, nRows, "GroupKFold");
    const ids = [...new Set(Array.from(groups))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (ids.length < this.#nSplits) {
      throw invalidParam(
        `GroupKFold cannot make ${this.#nSplits} folds from ${ids.length} groups: lower nSplits`,
      );
    }
    const index = new Map(ids.map((g, i) => [g, i]));
    const sizes = new Int32Array(ids.length);
    for (let i = 0; i < nRows; i++) sizes[index.get(groups[i]!)!]!++;
    // Largest groups first (ties: later groups first, as numpy's argsort()[::-1]).
    const order = Array.from(ids.keys())
      .sort((a, b) => sizes[a]! - sizes[b]! || a - b)
      .reverse();
    const foldRows = new Int32Array(this.#nSplits);
    const groupFold = new Int32Array(ids.length);
    for (const g of order) {
      let lightest = 0;
      for (let f = 1; f < this.#nSplits; f++) if (foldRows[f]! < foldRows[lightest]!) lightest = f;
      foldRows[lightest]! += sizes[g]!;
      groupFold[g] = lightest;
    }
    return Array.from({ length: this.#nSplits }, (_, f) =>
      foldFromMask(
        Uint8Array.from({ length: nRows }, (_, i) => (groupFold[index.get(groups[i]!)!] === f ? 1 : 0)),
      ),
    );
  }
}
