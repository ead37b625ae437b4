import { z } from "zod";
import { invalidParam } from "../../errors.js";
import { ks2Samp } from "../drift/stats/ks-2samp.js";
import { DetectorBase, snapshotParams } from "./detector-base.js";
import {
  type DetectorSnapshot,
  type DriftDetector,
  decodeNumber,
  encodeNumber,
  stateNumber,
} from "./drift-detector.js";
import { PythonRandom, type PythonRandomState } from "./python-random.js";

/** KSWIN parameters (River's defaults, except `seed`). */
export interface KswinParams {
  /** Significance of the KS test; drift when p <= alpha and D > 0.1 (River `alpha`, 0.005). */
  alpha: number;
  /** Size of the sliding window (River `window_size`, 100). */
  windowSize: number;
  /** Size of the newest part of the window, and of the sample drawn from the rest (River `stat_size`, 30). */
  statSize: number;
  /**
   * Seed of the sampling RNG, Python's MT19937 (River `seed`). River's default `None` draws OS
   * entropy; Keel defaults to 0 so runs are reproducible. Indices equal River's only for the same seed.
   */
  seed: number;
}

const DEFAULTS: KswinParams = { alpha: 0.005, windowSize: 100, statSize: 30, seed: 0 };

const SCHEMA = z
  .object({
    alpha: z.number().gt(0).lt(1),
    windowSize: z.int().min(2),
    statSize: z.int().min(1),
    seed: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  })
  .strict()
  .refine((p) => p.windowSize - p.statSize >= p.statSize, {
    message:
      "windowSize must be at least 2 * statSize (the sample of statSize values is drawn from the older windowSize - statSize)",
    path: ["windowSize"],
  });

/**
 * KSWIN, Kolmogorov-Smirnov windowing (River `drift.KSWIN`): keeps the last `windowSize` values;
 * once full, each update compares the newest `statSize` values with `statSize` values drawn
 * without replacement from the older ones (`random.sample` on a seeded Python RNG, exactly as
 * River draws them) using scipy's exact two-sample KS test. Drift when p <= alpha and D > 0.1.
 *
 * Paper: C. Raab, M. Heusinger, F.-M. Schleif, "Reactive Soft Prototype Computing for Concept
 * Drift Streams", Neurocomputing, 2020.
 *
 * @example
 * const rng = new PythonRandom(12345);
 * const stream = [...rng.choices([0, 1], 1000), ...rng.choices([4, 5, 6, 7], 1000)];
 * detectAll(new Kswin({ alpha: 0.0001, seed: 42 }), stream).drifts; // => [1016]
 */
export class Kswin extends DetectorBase<KswinParams> implements DriftDetector<number> {
  /** Name used by the CLI and in snapshots. */
  static readonly type = "kswin";
  /** River's default parameters (seed 0 instead of None, see {@link KswinParams.seed}). */
  static readonly defaults: Readonly<KswinParams> = Object.freeze({ ...DEFAULTS });

  // Ring buffer of the window: #length values starting at #start, oldest first.
  #window: Float64Array;
  #start = 0;
  #length = 0;
  #n = 0;
  #pValue = 0;
  #rng: PythonRandom;
  readonly #old: Float64Array;
  readonly #recent: Float64Array;

  /** A detector with River's defaults overridden by `params` (validated). */
  constructor(params: Partial<KswinParams> = {}) {
    super(Kswin.type, "KSWIN", SCHEMA, DEFAULTS, params);
    this.#window = new Float64Array(this.params.windowSize);
    this.#rng = new PythonRandom(this.params.seed);
    this.#old = new Float64Array(this.params.statSize);
    this.#recent = new Float64Array(this.params.statSize);
  }

  /** A detector continuing exactly from a `toJSON()` snapshot. */
  static fromJSON(snapshot: DetectorSnapshot): Kswin {
    return new Kswin(snapshotParams(snapshot, Kswin.type)).restore(snapshot);
  }

  /** p-value of the last KS test (0 before the window is full, as in River). */
  get pValue(): number {
    return this.#pValue;
  }

  /** Feed one value. */
  update(x: number): this {
    if (this.drift) this.reset();
    this.#n++;
    this.#push(x);
    const { windowSize, statSize, alpha } = this.params;
    if (this.#length < windowSize) return this;
    const picks = this.#rng.sampleRange(windowSize - statSize, statSize);
    for (let i = 0; i < statSize; i++) {
      this.#old[i] = this.#at(picks[i]!);
      this.#recent[i] = this.#at(windowSize - statSize + i);
    }
    // Same test as River's scipy.stats.ks_2samp(method="auto"): exact for these sizes, ties included.
    const { statistic, pValue } = ks2Samp(this.#old.sort(), this.#recent.sort());
    this.#pValue = pValue;
    this.drift = pValue <= alpha && statistic > 0.1;
    if (this.drift) {
      // River keeps only the newest values (the next update resets anyway).
      const recent = Array.from({ length: statSize }, (_, i) => this.#at(windowSize - statSize + i));
      this.#start = 0;
      this.#length = 0;
      for (const v of recent) this.#push(v);
    }
    return this;
  }

  #at(i: number): number {
    return this.#window[(this.#start + i) % this.params.windowSize]!;
  }

  #push(x: number): void {
    const size = this.params.windowSize;
    if (this.#length < size) {
      this.#window[(this.#start + this.#length) % size] = x;
      this.#length++;
    } else {
      this.#window[this.#start] = x;
      this.#start = (this.#start + 1) % size;
    }
  }

  protected clearState(): void {
    this.#start = 0;
    this.#length = 0;
    this.#n = 0;
    this.#pValue = 0;
    this.#rng = new PythonRandom(this.params.seed);
  }

  protected saveState(): Record<string, unknown> {
    return {
      n: this.#n,
      pValue: encodeNumber(this.#pValue),
      window: Array.from({ length: this.#length }, (_, i) => encodeNumber(this.#at(i))),
      rng: this.#rng.getState(),
    };
  }

  protected loadState(state: Record<string, unknown>): void {
    this.#n = stateNumber(state, "n");
    this.#pValue = stateNumber(state, "pValue");
    const window = Array.isArray(state.window) ? state.window : [];
    this.#start = 0;
    this.#length = 0;
    for (const v of window.slice(-this.params.windowSize)) this.#push(decodeNumber(v, "window"));
    try {
      this.#rng = PythonRandom.fromState(state.rng as PythonRandomState);
    } catch (e) {
      throw invalidParam(`detector snapshot field 'rng' is not a Python RNG state: ${(e as Error).message}`);
    }
  }
}
