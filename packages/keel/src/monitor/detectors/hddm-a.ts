import { z } from "zod";
import { DetectorBase, snapshotParams } from "./detector-base.js";
import {
  type DetectorSnapshot,
  type DriftAndWarningDetector,
  encodeNumber,
  stateNumber,
} from "./drift-detector.js";

/** HDDM_A parameters (River's defaults). */
export interface HddmAParams {
  /** Confidence of the drift test (River `drift_confidence`, 0.001). */
  driftConfidence: number;
  /** Confidence of the warning test (River `warning_confidence`, 0.005). */
  warningConfidence: number;
  /** Also watch for a decrease of the error rate (River `two_sided_test`, false). */
  twoSidedTest: boolean;
}

const DEFAULTS: HddmAParams = { driftConfidence: 0.001, warningConfidence: 0.005, twoSidedTest: false };

const SCHEMA = z
  .object({
    driftConfidence: z.number().gt(0).lt(1),
    warningConfidence: z.number().gt(0).lt(1),
    twoSidedTest: z.boolean(),
  })
  .strict();

/** A running mean as River's `stats.Mean` keeps it (count and value), cloned by value. */
interface Mean {
  n: number;
  mean: number;
}

/**
 * HDDM_A, drift detection with Hoeffding's bounds and the moving-average test (River
 * `drift.binary.HDDM_A`, after MOA): keeps the global mean of the errors and a cut point where the
 * mean plus its Hoeffding bound was lowest; a significant rise of the mean since the cut point is
 * a warning (warningConfidence) or a drift (driftConfidence). Input: `true` for an error.
 *
 * Paper: I. Frías-Blanco, J. del Campo-Ávila, G. Ramos-Jiménez et al., "Online and non-parametric
 * drift detection methods based on Hoeffding's bounds", IEEE TKDE 27(3), 2014.
 *
 * @example
 * const rng = new PythonRandom(42);
 * const stream = [...rng.choices([0, 1], 1000), ...rng.choices([0, 1], 1000, [0.3, 0.7])];
 * detectAll(new HddmA(), stream.map((v) => v === 1)).drifts; // => [1206]
 */
export class HddmA extends DetectorBase<HddmAParams> implements DriftAndWarningDetector<boolean> {
  /** Name used by the CLI and in snapshots. */
  static readonly type = "hddm-a";
  /** River's default parameters. */
  static readonly defaults: Readonly<HddmAParams> = Object.freeze({ ...DEFAULTS });

  #z: Mean = { n: 0, mean: 0 };
  #xMin: Mean = { n: 0, mean: 0 };
  #xMax: Mean = { n: 0, mean: 0 };

  /** A detector with River's defaults overridden by `params` (validated). */
  constructor(params: Partial<HddmAParams> = {}) {
    super(HddmA.type, "HDDM_A", SCHEMA, DEFAULTS, params);
  }

  /** A detector continuing exactly from a `toJSON()` snapshot. */
  static fromJSON(snapshot: DetectorSnapshot): HddmA {
    return new HddmA(snapshotParams(snapshot, HddmA.type)).restore(snapshot);
  }

  /** True while the rise of the error rate is significant at the warning confidence. */
  get warningDetected(): boolean {
    return this.warning;
  }

  /** Feed one outcome: `true` = error. */
  update(x: boolean): this {
    if (this.drift) this.reset();
    const z = this.#z;
    z.n += 1;
    z.mean += (1 / z.n) * ((x ? 1 : 0) - z.mean);
    if (this.#xMin.n === 0) this.#xMin = { ...z };
    if (this.#xMax.n === 0) this.#xMax = { ...z };
    const epsZ = this.#bound(z.n);
    if (this.#xMin.mean + this.#bound(this.#xMin.n) >= z.mean + epsZ) this.#xMin = { ...z };
    if (this.#xMax.mean - this.#bound(this.#xMax.n) <= z.mean - epsZ) this.#xMax = { ...z };
    const { driftConfidence, warningConfidence } = this.params;
    const rise = z.mean - this.#xMin.mean;
    if (significant(this.#xMin, z, rise, driftConfidence)) {
      this.warning = false;
      this.drift = true;
    } else {
      this.warning = significant(this.#xMin, z, rise, warningConfidence);
      this.drift = false;
    }
    if (this.params.twoSidedTest) {
      const fall = this.#xMax.mean - z.mean;
      if (significant(this.#xMax, z, fall, driftConfidence)) this.drift = true;
      else if (significant(this.#xMax, z, fall, warningConfidence)) this.warning = true;
    }
    return this;
  }

  /** Hoeffding bound of a mean over n bits (River uses the drift confidence for every cut). */
  #bound(n: number): number {
    return Math.sqrt((1 / (2 * n)) * Math.log(1 / this.params.driftConfidence));
  }

  protected clearState(): void {
    this.#z = { n: 0, mean: 0 };
    this.#xMin = { n: 0, mean: 0 };
    this.#xMax = { n: 0, mean: 0 };
  }

  protected saveState(): Record<string, unknown> {
    const enc = (m: Mean) => ({ n: m.n, mean: encodeNumber(m.mean) });
    return { z: enc(this.#z), xMin: enc(this.#xMin), xMax: enc(this.#xMax) };
  }

  protected loadState(state: Record<string, unknown>): void {
    const dec = (key: string): Mean => {
      const m = (state[key] ?? {}) as Record<string, unknown>;
      return { n: stateNumber(m, "n"), mean: stateNumber(m, "mean") };
    };
    this.#z = dec("z");
    this.#xMin = dec("xMin");
    this.#xMax = dec("xMax");
  }
}

/**
 * River's `_mean_incr` / `_mean_decr`: is `diff` (the change of the mean since the cut point)
 * beyond the Hoeffding bound of the two segments at `confidence`?
 */
function significant(cut: Mean, z: Mean, diff: number, confidence: number): boolean {
  if (cut.n === z.n) return false;
  const m = ((z.n - cut.n) / cut.n) * (1 / z.n);
  return diff >= Math.sqrt((m / 2) * Math.log(2 / confidence));
}
