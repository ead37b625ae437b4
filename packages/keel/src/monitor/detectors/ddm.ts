import { z } from "zod";
import { DetectorBase, snapshotParams } from "./detector-base.js";
import {
  type DetectorSnapshot,
  type DriftAndWarningDetector,
  encodeNumber,
  stateNumber,
} from "./drift-detector.js";

/** DDM parameters (River's defaults). */
export interface DdmParams {
  /** Updates seen before change can be signalled (River `warm_start`, 30). */
  warmStart: number;
  /** Warning when p + s > p_min + warningThreshold * s_min (River 2.0). */
  warningThreshold: number;
  /** Drift when p + s > p_min + driftThreshold * s_min (River 3.0). */
  driftThreshold: number;
}

const DEFAULTS: DdmParams = { warmStart: 30, warningThreshold: 2, driftThreshold: 3 };

const SCHEMA = z
  .object({
    warmStart: z.int().min(0),
    warningThreshold: z.number().positive(),
    driftThreshold: z.number().positive(),
  })
  .strict();

/**
 * DDM, the Drift Detection Method (River `drift.binary.DDM`): tracks the error rate p and its
 * Bernoulli standard deviation s = sqrt(p(1-p)/n), remembers them where p + s was lowest, and
 * warns or signals drift when p + s rises 2 or 3 of those deviations above it. Input: `true` for
 * an error, `false` for a correct prediction.
 *
 * Paper: J. Gama, P. Medas, G. Castillo, P. Rodrigues, "Learning with Drift Detection", SBIA 2004.
 *
 * @example
 * const rng = new PythonRandom(42);
 * const stream = [...rng.choices([0, 1], 1000), ...rng.choices([0, 1], 1000, [0.3, 0.7])];
 * detectAll(new Ddm(), stream.map((v) => v === 1)).drifts; // => [1334]
 */
export class Ddm extends DetectorBase<DdmParams> implements DriftAndWarningDetector<boolean> {
  /** Name used by the CLI and in snapshots. */
  static readonly type = "ddm";
  /** River's default parameters. */
  static readonly defaults: Readonly<DdmParams> = Object.freeze({ ...DEFAULTS });

  #n = 0;
  #p = 0;
  #pMin = Number.POSITIVE_INFINITY;
  #sMin = Number.POSITIVE_INFINITY;
  #psMin = Number.POSITIVE_INFINITY;

  /** A detector with River's defaults overridden by `params` (validated). */
  constructor(params: Partial<DdmParams> = {}) {
    super(Ddm.type, "DDM", SCHEMA, DEFAULTS, params);
  }

  /** A detector continuing exactly from a `toJSON()` snapshot. */
  static fromJSON(snapshot: DetectorSnapshot): Ddm {
    return new Ddm(snapshotParams(snapshot, Ddm.type)).restore(snapshot);
  }

  /** True while the error rate is in the warning zone. */
  get warningDetected(): boolean {
    return this.warning;
  }

  /** Feed one outcome: `true` = error. */
  update(x: boolean): this {
    if (this.drift) this.reset();
    const n = ++this.#n;
    this.#p += (1 / n) * ((x ? 1 : 0) - this.#p);
    const p = this.#p;
    const s = Math.sqrt((p * (1 - p)) / n);
    if (n > this.params.warmStart) {
      if (p + s <= this.#psMin) {
        this.#pMin = p;
        this.#sMin = s;
        this.#psMin = p + s;
      }
      this.warning = p + s > this.#pMin + this.params.warningThreshold * this.#sMin;
      if (p + s > this.#pMin + this.params.driftThreshold * this.#sMin) {
        this.drift = true;
        this.warning = false;
      }
    }
    return this;
  }

  protected clearState(): void {
    this.#n = 0;
    this.#p = 0;
    this.#pMin = Number.POSITIVE_INFINITY;
    this.#sMin = Number.POSITIVE_INFINITY;
    this.#psMin = Number.POSITIVE_INFINITY;
  }

  protected saveState(): Record<string, unknown> {
    return {
      n: this.#n,
      p: encodeNumber(this.#p),
      pMin: encodeNumber(this.#pMin),
      sMin: encodeNumber(this.#sMin),
      psMin: encodeNumber(this.#psMin),
    };
  }

  protected loadState(state: Record<string, unknown>): void {
    this.#n = stateNumber(state, "n");
    this.#p = stateNumber(state, "p");
    this.#pMin = stateNumber(state, "pMin");
    this.#sMin = stateNumber(state, "sMin");
    this.#psMin = stateNumber(state, "psMin");
  }
}
