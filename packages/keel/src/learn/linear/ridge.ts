import { z } from "zod";
import type { FitOptions, Regressor } from "../core/capabilities.js";
import { Estimator } from "../core/estimator.js";
import type { Matrix } from "../core/matrix.js";
import { registerEstimators } from "../core/registry.js";
import type { EstimatorTags } from "../core/tags.js";
import { fitLinear, type LinearModelState, predictLinear } from "./linear-regression.js";

/** Params of {@link Ridge}. */
export interface RidgeParams {
  /** L2 strength: minimizes ||y - Xw - b||² + alpha ||w||². */
  readonly alpha: number;
  /** Learn an intercept (unpenalized). */
  readonly fitIntercept: boolean;
}

const DEFAULTS: RidgeParams = { alpha: 1, fitIntercept: true };
const SCHEMA = z.strictObject({ alpha: z.number().nonnegative(), fitIntercept: z.boolean() });

/**
 * Ridge regression solved exactly (Cholesky on the centered normal equations, as scikit-learn's
 * `solver="cholesky"`).
 * @example
 * const reg = new Ridge({ alpha: 0 }).fit(matrixFromRows([[0], [1], [2]]), Float64Array.from([1, 3, 5]));
 * reg.predict(matrixFromRows([[3]])); // Float64Array [7]
 */
export class Ridge extends Estimator<RidgeParams, LinearModelState> implements Regressor {
  static override readonly typeName = "Ridge";
  static override readonly tags: EstimatorTags = { kind: "regressor", allowNaN: false, stochastic: false };
  static override testParams(): object[] {
    return [{}, { alpha: 10, fitIntercept: false }];
  }

  constructor(params: Partial<RidgeParams> = {}) {
    super(DEFAULTS, params, SCHEMA);
  }

  /** Solves the penalized least-squares problem. */
  fit(X: Matrix, y: Float64Array, _options?: FitOptions<Float64Array>): this {
    const { alpha, fitIntercept } = this.validParams();
    this.fitted_ = fitLinear(this.typeName, X, y, fitIntercept, alpha);
    return this;
  }

  /** `X·coef + intercept`. */
  predict(X: Matrix): Float64Array {
    return predictLinear(this.assertFitted(), X, this.typeName);
  }
}

registerEstimators(Ridge);
