import { z } from "zod";
import { invalidParam } from "../../errors.js";
import type { FitOptions, Regressor } from "../core/capabilities.js";
import { Estimator } from "../core/estimator.js";
import { checkMatrix, checkXy, type Matrix } from "../core/matrix.js";
import { registerEstimators } from "../core/registry.js";
import { nanMean, quantileSorted, sortedFinite } from "../core/stats.js";
import type { EstimatorTags } from "../core/tags.js";

/** Params of {@link DummyRegressor} (scikit-learn's DummyRegressor). */
export interface DummyRegressorParams {
  /** Which constant to predict. */
  readonly strategy: "mean" | "median" | "quantile" | "constant";
  /** Quantile in [0, 1] for strategy "quantile". */
  readonly quantile: number | null;
  /** Value for strategy "constant". */
  readonly constant: number | null;
}

const DEFAULTS: DummyRegressorParams = { strategy: "mean", quantile: null, constant: null };
const SCHEMA = z.strictObject({
  strategy: z.enum(["mean", "median", "quantile", "constant"]),
  quantile: z.number().min(0).max(1).nullable(),
  constant: z.number().nullable(),
});

/** Learned state: the constant prediction. */
export interface DummyRegressorState {
  /** The value predicted for every row. */
  readonly value: number;
}

/**
 * A baseline that predicts one constant learned from the target.
 * @example
 * const reg = new DummyRegressor({ strategy: "median" });
 * reg.fit(matrixFromRows([[0], [0], [0]]), Float64Array.from([1, 2, 10]));
 * reg.predict(matrixFromRows([[1]])); // Float64Array [2]
 */
export class DummyRegressor
  extends Estimator<DummyRegressorParams, DummyRegressorState>
  implements Regressor
{
  static override readonly typeName = "DummyRegressor";
  static override readonly tags: EstimatorTags = { kind: "regressor", allowNaN: true, stochastic: false };
  static override testParams(): object[] {
    return [
      {},
      { strategy: "median" },
      { strategy: "quantile", quantile: 0.9 },
      { strategy: "constant", constant: 3 },
    ];
  }

  constructor(params: Partial<DummyRegressorParams> = {}) {
    super(DEFAULTS, params, SCHEMA);
  }

  /** Learns the constant. */
  fit(X: Matrix, y: Float64Array, _options?: FitOptions<Float64Array>): this {
    const p = this.validParams();
    checkXy(X, y, this.typeName);
    let value: number;
    if (p.strategy === "mean") value = nanMean(y);
    else if (p.strategy === "median") value = quantileSorted(sortedFinite(y), 0.5);
    else if (p.strategy === "quantile") {
      if (p.quantile === null)
        throw invalidParam("DummyRegressor strategy 'quantile' needs the 'quantile' param (0..1)");
      value = quantileSorted(sortedFinite(y), p.quantile);
    } else {
      if (p.constant === null)
        throw invalidParam("DummyRegressor strategy 'constant' needs the 'constant' param");
      value = p.constant;
    }
    this.fitted_ = { value };
    return this;
  }

  /** The constant, once per row. */
  predict(X: Matrix): Float64Array {
    const { value } = this.assertFitted();
    checkMatrix(X, undefined, this.typeName);
    return new Float64Array(X.nRows).fill(value);
  }
}

registerEstimators(DummyRegressor);
