import { z } from "zod";
import { DetectorBase, snapshotParams } from "./detector-base.js";
import {
  type DetectorSnapshot,
  type DriftAndWarningDetector,
  encodeNumber,
  stateNumber,
} from "./drift-detector.js";

/** EDDM parameters (River's defaults). */
export interface EddmParams {
  /** Updates and errors seen before change can be signalled (River `warm_start`, 30). */
  warmStart: number;
  /** Warning when (p' + 2s') / max(p' + 2s') < alpha (River 0.95). */
  alpha: number;
  /** Drift when (p' + 2s') / max(p' + 2s') < beta (River 0.9); beta <= alpha. */
  beta: number;
}

const DEFAULTS: EddmParams = { warmStart: 30, alpha: 0.95, beta: 0.9 };

const SCHEMA = z
  .object({
    warmStart: z.int().min(0),
    alpha: z.number().gt(0).lt(1),
    beta: z.number().gt(0).lt(1),
  })
  .strict()
  .refine((p) => p.alpha >= p.beta, { message: "alpha must be >= beta", path: ["beta"] });

/**
 * EDDM, the Early Drift Detection Method (River `drift.binary.EDDM`): tracks the mean p' and
 * standard deviation s' of the distance between consecutive errors; when p' + 2s' falls below a
 * share (alpha, beta) of its maximum the errors are getting closer: warning, then drift. Better
 * than DDM on gradual drift. Input: `true` for an error.
 *
 * Paper: M. Baena-García, J. del Campo-Ávila, R. Fidalgo, A. Bifet, R. Gavaldà, R. Morales-Bueno,
 * "Early Drift Detection Method", 4th Int. Workshop on Knowledge Discovery from Data Streams, 2006.
 *
 * @example
 * const rng = new PythonRandom(42);
 * const stream = [...rng.choices([0, 1], 1000), ...rng.choices([0, 1], 1000, [0.3, 0.7])];
 * detectAll(new Eddm({ alpha: 0.8, beta: 0.75 }), stream.map((v) => v === 1)).drifts; // => [1278]
 */
export class Eddm extends DetectorBase<EddmParams> implements DriftAndWarningDetector<boolean> {
  /** Name used by the CLI and in snapshots. */
  static readonly type = "eddm";
  /** River's default parameters. */
  static readonly defaults: Readonly<EddmParams> = Object.freeze({ ...DEFAULTS });

  #n = 0;
  #lastError = 0;
  #nErrors = 0;
  #p2sMax = -1;
  // River's stats.Var over the distances between errors (Welford, ddof = 1).
  #distN = 0;
  #distMean = 0;
  #distS = 0;

  /** A detector with River's defaults overridden by `params` (validated). */
  constructor(params: Partial<EddmParams> = {}) {
    super(Eddm.type, "EDDM", SCHEMA, DEFAULTS, params);
  }

  /** A detector continuing exactly from a `toJSON()` snapshot. */
  static fromJSON(snapshot: DetectorSnapshot): Eddm {
    return new Eddm(snapshotParams(snapshot, Eddm.type)).restore(snapshot);
  }

  /** True while the distance between errors is in the warning zone. */
  get warningDetected(): boolean {
    return this.warning;
  }

  /** Feed one outcome: `true` = error. Only errors move the statistics. */
  update(x: boolean): this {
    if (this.drift) this.reset();
    this.#n++;
    if (!x) return this;
    this.#nErrors++;
    const distance = this.#n - this.#lastError;
    const oldMean = this.#distMean;
    this.#distN++;
    this.#distMean += (1 / this.#distN) * (distance - oldMean);
    this.#distS += (distance - oldMean) * (distance - this.#distMean);
    if (this.#n > this.params.warmStart) {
      const variance = this.#distN > 1 ? this.#distS / (this.#distN - 1) : 0;
      const p2s = this.#distMean + 2 * Math.sqrt(variance);
      if (p2s > this.#p2sMax) {
        this.#p2sMax = p2s;
      } else if (this.#nErrors > this.params.warmStart) {
        const level = p2s / this.#p2sMax;
        if (level < this.params.beta) this.drift = true;
        else this.warning = level < this.params.alpha;
      }
    }
    this.#lastError = this.#n;
    return this;
  }

  protected clearState(): void {
    this.#n = 0;
    this.#lastError = 0;
    this.#nErrors = 0;
    this.#p2sMax = -1;
    this.#distN = 0;
    this.#distMean = 0;
    this.#distS = 0;
  }

  protected saveState(): Record<string, unknown> {
    return {
      n: this.#n,
      lastError: this.#lastError,
      nErrors: this.#nErrors,
      p2sMax: encodeNumber(this.#p2sMax),
      distN: this.#distN,
      distMean: encodeNumber(this.#distMean),
      distS: encodeNumber(this.#distS),
    };
  }

  protected loadState(state: Record<string, unknown>): void {
    this.#n = stateNumber(state, "n");
    this.#lastError = stateNumber(state, "lastError");
    this.#nErrors = stateNumber(state, "nErrors");
    this.#p2sMax = stateNumber(state, "p2sMax");
    this.#distN = stateNumber(state, "distN");
    this.#distMean = stateNumber(state, "distMean");
    this.#distS = stateNumber(state, "distS");
  }
}
