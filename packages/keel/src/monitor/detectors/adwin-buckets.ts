/**
 * ADWIN's exponential histogram (River's `adwin_c.pyx` `Bucket` rows): row i holds up to
 * maxBuckets + 1 summaries of 2^i values each (their total and variance), oldest first. Row 0
 * is the newest and finest; the last row is the oldest and coarsest.
 */
export class BucketRow {
  /** Totals of the summaries in this row, oldest first (only `count` are in use). */
  readonly totals: Float64Array;
  /** Variances (sums of squared deviations) of the summaries, oldest first. */
  readonly variances: Float64Array;
  /** Summaries in use. */
  count = 0;

  /** An empty row with room for `maxBuckets + 1` summaries. */
  constructor(maxBuckets: number) {
    this.totals = new Float64Array(maxBuckets + 1);
    this.variances = new Float64Array(maxBuckets + 1);
  }

  /** Append a summary. */
  insert(total: number, variance: number): void {
    this.totals[this.count] = total;
    this.variances[this.count] = variance;
    this.count++;
  }

  /** Drop the `k` oldest summaries (shift left, zero the tail). */
  dropOldest(k: number): void {
    // Plain loops: rows hold ~6 slots, where copyWithin/fill calls cost more than the copying.
    const { totals, variances } = this;
    const len = totals.length;
    for (let i = k; i < len; i++) {
      totals[i - k] = totals[i]!;
      variances[i - k] = variances[i]!;
    }
    for (let i = len - k; i < len; i++) {
      totals[i] = 0;
      variances[i] = 0;
    }
    this.count -= k;
  }
}
