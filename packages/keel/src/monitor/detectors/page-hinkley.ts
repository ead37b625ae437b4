import { z } from "zod";
import { DetectorBase, snapshotParams } from "./detector-base.js";
import { type DetectorSnapshot, type DriftDetector, encodeNumber, stateNumber } from "./drift-detector.js";

/** Which direction of change Page-Hinkley watches. */
export const PAGE_HINKLEY_MODES = ["up", "down", "both"] as const;

/** Page-Hinkley parameters (River's defaults). */
export interface PageHinkleyParams {
  /** Updates seen before change can be signalled (River `min_instances`, 30). */
  minInstances: number;
  /** Magnitude of change tolerated by the test (River `delta`, 0.005). */
  delta: number;
  /** Detection threshold lambda on the cumulative deviation (River `threshold`, 50). */
  threshold: number;
  /** Forgetting factor applied to the cumulative sums (River `alpha`, 1 - 0.0001). */
  alpha: number;
  /** Watch increases ("up"), decreases ("down") or both (River `mode`, "both"). */
  mode: (typeof PAGE_HINKLEY_MODES)[number];
}

const DEFAULTS: PageHinkleyParams = {
  minInstances: 30,
  delta: 0.005,
  threshold: 50,
  alpha: 1 - 0.0001,
  mode: "both",
};

const SCHEMA = z
  .object({
    minInstances: z.int().min(1),
    delta: z.number().min(0),
    threshold: z.number().positive(),
    alpha: z.number().gt(0).max(1),
    mode: z.enum(PAGE_HINKLEY_MODES),
  })
  .strict();

/**
 * Page-Hinkley (River `drift.PageHinkley`): a CUSUM of the deviations of each value from the
 * running mean, faded by alpha; drift when the sum has risen (or fallen) more than `threshold`
 * above its minimum (below its maximum). No warning zone.
 *
 * Paper: E. S. Page, "Continuous Inspection Schemes", Biometrika 41(1/2), 1954.
 *
 * @example
 * const rng = new PythonRandom(12345);
 * const stream = [...rng.choices([0, 1], 1000), ...rng.choices([4, 5, 6, 7], 1000)];
 * detectAll(new PageHinkley(), stream).drifts; // => [1006]
 */
export class PageHinkley extends DetectorBase<PageHinkleyParams> implements DriftDetector<number> {
  /** Name used by the CLI and in snapshots. */
  static readonly type = "page-hinkley";
  /** River's default parameters. */
  static readonly defaults: Readonly<PageHinkleyParams> = Object.freeze({ ...DEFAULTS });

  #n = 0;
  #mean = 0;
  #sumIncrease = 0;
  #sumDecrease = 0;
  #minIncrease = Number.POSITIVE_INFINITY;
  // River starts the running maximum at -1, not -inf; kept for identical results.
  #maxDecrease = -1;
  readonly #up: boolean;
  readonly #down: boolean;

  /** A detector with River's defaults overridden by `params` (validated). */
  constructor(params: Partial<PageHinkleyParams> = {}) {
    super(PageHinkley.type, "PageHinkley", SCHEMA, DEFAULTS, params);
    this.#up = this.params.mode !== "down";
    this.#down = this.params.mode !== "up";
  }

  /** A detector continuing exactly from a `toJSON()` snapshot. */
  static fromJSON(snapshot: DetectorSnapshot): PageHinkley {
    return new PageHinkley(snapshotParams(snapshot, PageHinkley.type)).restore(snapshot);
  }

  /** Feed one value. */
  update(x: number): this {
    if (this.drift) this.reset();
    const n = ++this.#n;
    this.#mean += (1 / n) * (x - this.#mean);
    const dev = x - this.#mean;
    const { alpha, delta, threshold } = this.params;
    this.#sumIncrease = alpha * this.#sumIncrease + dev - delta;
    this.#sumDecrease = alpha * this.#sumDecrease + dev + delta;
    if (this.#sumIncrease < this.#minIncrease) this.#minIncrease = this.#sumIncrease;
    if (this.#sumDecrease > this.#maxDecrease) this.#maxDecrease = this.#sumDecrease;
    if (n >= this.params.minInstances) {
      this.drift =
        (this.#up && this.#sumIncrease - this.#minIncrease > threshold) ||
        (this.#down && this.#maxDecrease - this.#sumDecrease > threshold);
    }
    return this;
  }

  protected clearState(): void {
    this.#n = 0;
    this.#mean = 0;
    this.#sumIncrease = 0;
    this.#sumDecrease = 0;
    this.#minIncrease = Number.POSITIVE_INFINITY;
    this.#maxDecrease = -1;
  }

  protected saveState(): Record<string, unknown> {
    return {
      n: this.#n,
      mean: encodeNumber(this.#mean),
      sumIncrease: encodeNumber(this.#sumIncrease),
      sumDecrease: encodeNumber(this.#sumDecrease),
      minIncrease: encodeNumber(this.#minIncrease),
      maxDecrease: encodeNumber(this.#maxDecrease),
    };
  }

  protected loadState(state: Record<string, unknown>): void {
    this.#n = stateNumber(state, "n");
    this.#mean = stateNumber(state, "mean");
    this.#sumIncrease = stateNumber(state, "sumIncrease");
    this.#sumDecrease = stateNumber(state, "sumDecrease");
    this.#minIncrease = stateNumber(state, "minIncrease");
    this.#maxDecrease = stateNumber(state, "maxDecrease");
  }
}
