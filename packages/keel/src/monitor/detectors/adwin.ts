import { z } from "zod";
import { BucketRow } from "./adwin-buckets.js";
import { DetectorBase, snapshotParams } from "./detector-base.js";
import {
  type DetectorSnapshot,
  type DriftDetector,
  decodeNumber,
  encodeNumber,
  stateNumber,
} from "./drift-detector.js";

/** ADWIN parameters (River's defaults). */
export interface AdwinParams {
  /** Significance of each cut test (River `delta`, 0.002). */
  delta: number;
  /** Check for a cut every `clock` updates (River `clock`, 32). */
  clock: number;
  /** Summaries of each size kept before two are merged (River `max_buckets`, 5). */
  maxBuckets: number;
  /** Smallest sub-window a cut may leave on either side (River `min_window_length`, 5). */
  minWindowLength: number;
  /** No cut is tested before the window holds more than this many values (River `grace_period`, 10). */
  gracePeriod: number;
}

const DEFAULTS: AdwinParams = { delta: 0.002, clock: 32, maxBuckets: 5, minWindowLength: 5, gracePeriod: 10 };

const SCHEMA = z
  .object({
    delta: z.number().gt(0).lt(1),
    clock: z.int().min(1),
    maxBuckets: z.int().min(1),
    minWindowLength: z.int().min(1),
    gracePeriod: z.int().min(0),
  })
  .strict();

/**
 * ADWIN, adaptive windowing (River `drift.ADWIN` over `adwin_c.pyx`): keeps a window of recent
 * values as an exponential histogram and, every `clock` updates, drops the oldest part while some
 * split of the window into an old and a new part has means further apart than the Hoeffding-style
 * bound for `delta`; any drop is a drift. Follows River's loops exactly, including that the
 * newest summary of each row is never a cut point.
 *
 * Paper: A. Bifet, R. Gavaldà, "Learning from time-changing data with adaptive windowing",
 * SIAM SDM 2007.
 *
 * @example
 * const rng = new PythonRandom(12345);
 * const stream = [...rng.choices([0, 1], 1000), ...rng.choices([4, 5, 6, 7], 1000)];
 * detectAll(new Adwin(), stream).drifts; // => [1023]
 */
export class Adwin extends DetectorBase<AdwinParams> implements DriftDetector<number> {
  /** Name used by the CLI and in snapshots. */
  static readonly type = "adwin";
  /** River's default parameters. */
  static readonly defaults: Readonly<AdwinParams> = Object.freeze({ ...DEFAULTS });

  #rows: BucketRow[] = [];
  #total = 0;
  #variance = 0;
  #width = 0;
  #tick = 0;
  #nDetections = 0;

  /** A detector with River's defaults overridden by `params` (validated). */
  constructor(params: Partial<AdwinParams> = {}) {
    super(Adwin.type, "ADWIN", SCHEMA, DEFAULTS, params);
    this.#rows = [new BucketRow(this.params.maxBuckets)];
  }

  /** A detector continuing exactly from a `toJSON()` snapshot. */
  static fromJSON(snapshot: DetectorSnapshot): Adwin {
    return new Adwin(snapshotParams(snapshot, Adwin.type)).restore(snapshot);
  }

  /** Number of values in the window. */
  get width(): number {
    return this.#width;
  }

  /** Mean of the window (0 when empty). */
  get estimation(): number {
    return this.#width === 0 ? 0 : this.#total / this.#width;
  }

  /** Sum of squared deviations from the mean over the window. */
  get variance(): number {
    return this.#variance;
  }

  /** Feed one value. */
  update(x: number): this {
    if (this.drift) this.reset();
    this.#insert(x);
    this.drift = this.#detectChange();
    return this;
  }

  #insert(value: number): void {
    this.#rows[0]!.insert(value, 0);
    this.#width += 1;
    const w = this.#width;
    if (w > 1) {
      const d = value - this.#total / (w - 1);
      this.#variance += ((w - 1) * d * d) / w;
    }
    this.#total += value;
    this.#compress();
  }

  /** Merge the two oldest summaries of a full row into the next row, cascading. */
  #compress(): void {
    const max = this.params.maxBuckets;
    for (let idx = 0; idx < this.#rows.length; idx++) {
      const row = this.#rows[idx]!;
      if (row.count !== max + 1) return;
      if (idx + 1 === this.#rows.length) this.#rows.push(new BucketRow(max));
      const next = this.#rows[idx + 1]!;
      const size = 2 ** idx;
      const mu1 = row.totals[0]! / size;
      const mu2 = row.totals[1]! / size;
      const temp = (size * size * (mu1 - mu2) * (mu1 - mu2)) / (size + size);
      next.insert(row.totals[0]! + row.totals[1]!, row.variances[0]! + row.variances[1]! + temp);
      row.dropOldest(2);
      if (next.count <= max) return;
    }
  }

  #detectChange(): boolean {
    let changed = false;
    this.#tick++;
    if (this.#tick % this.params.clock !== 0 || this.#width <= this.params.gracePeriod) return false;
    const mwl = this.params.minWindowLength;
    let reduce = true;
    while (reduce) {
      reduce = false;
      let n0 = 0;
      let n1 = this.#width;
      let u0 = 0;
      let u1 = this.#total;
      // River recomputes these per cut; they depend only on the width, which is fixed until a deletion.
      const deltaPrime = Math.log((2 * Math.log(this.#width)) / this.params.delta);
      const varianceInWindow = this.#variance / this.#width;
      scan: for (let idx = this.#rows.length - 1; idx >= 0; idx--) {
        const row = this.#rows[idx]!;
        const size = 2 ** idx;
        // River's range(current_idx - 1): the newest summary of a row is never a cut point.
        for (let k = 0; k < row.count - 1; k++) {
          n0 += size;
          n1 -= size;
          u0 += row.totals[k]!;
          u1 -= row.totals[k]!;
          const deltaMean = u0 / n0 - u1 / n1;
          if (n1 >= mwl && n0 >= mwl && cutHolds(n0, n1, deltaMean, mwl, deltaPrime, varianceInWindow)) {
            reduce = true;
            changed = true;
            if (this.#width > 0) {
              n0 -= this.#deleteOldest();
              break scan;
            }
          }
        }
      }
    }
    if (changed) this.#nDetections++;
    return changed;
  }

  /** Drop the oldest summary of the window; returns how many values it held. */
  #deleteOldest(): number {
    const last = this.#rows.length - 1;
    const row = this.#rows[last]!;
    const n = 2 ** last;
    const u = row.totals[0]!;
    const mu = u / n;
    const v = row.variances[0]!;
    this.#width -= n;
    this.#total -= u;
    const muWindow = this.#total / this.#width;
    this.#variance -= v + (n * this.#width * (mu - muWindow) * (mu - muWindow)) / (n + this.#width);
    row.dropOldest(1);
    if (row.count === 0) this.#rows.pop();
    return n;
  }

  protected clearState(): void {
    this.#rows = [new BucketRow(this.params.maxBuckets)];
    this.#total = 0;
    this.#variance = 0;
    this.#width = 0;
    this.#tick = 0;
    this.#nDetections = 0;
  }

  protected saveState(): Record<string, unknown> {
    return {
      total: encodeNumber(this.#total),
      variance: encodeNumber(this.#variance),
      width: this.#width,
      tick: this.#tick,
      nDetections: this.#nDetections,
      rows: this.#rows.map((r) => ({
        totals: Array.from(r.totals.subarray(0, r.count), encodeNumber),
        variances: Array.from(r.variances.subarray(0, r.count), encodeNumber),
      })),
    };
  }

  protected loadState(state: Record<string, unknown>): void {
    this.#total = stateNumber(state, "total");
    this.#variance = stateNumber(state, "variance");
    this.#width = stateNumber(state, "width");
    this.#tick = stateNumber(state, "tick");
    this.#nDetections = stateNumber(state, "nDetections");
    const rows = Array.isArray(state.rows)
      ? (state.rows as { totals: unknown[]; variances: unknown[] }[])
      : [];
    this.#rows = rows.map((saved, i) => {
      const row = new BucketRow(this.params.maxBuckets);
      const totals = saved.totals ?? [];
      for (let k = 0; k < totals.length; k++) {
        row.insert(
          decodeNumber(totals[k], `rows[${i}].totals`),
          decodeNumber(saved.variances?.[k], `rows[${i}].variances`),
        );
      }
      return row;
    });
    if (this.#rows.length === 0) this.#rows.push(new BucketRow(this.params.maxBuckets));
  }
}

/** River's `_evaluate_cut`: is the gap between the means of the two sub-windows beyond epsilon? */
function cutHolds(
  n0: number,
  n1: number,
  deltaMean: number,
  minWindowLength: number,
  deltaPrime: number,
  varianceInWindow: number,
): boolean {
  const mRecip = 1 / (n0 - minWindowLength + 1) + 1 / (n1 - minWindowLength + 1);
  const epsilon = Math.sqrt(2 * mRecip * varianceInWindow * deltaPrime) + (2 / 3) * deltaPrime * mRecip;
  return Math.abs(deltaMean) > epsilon;
}
