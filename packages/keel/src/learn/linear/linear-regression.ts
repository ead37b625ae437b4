import { z } from "zod";
import type { FitOptions, Regressor } from "../core/capabilities.js";
import { Estimator } from "../core/estimator.js";
import { assertFinite, checkMatrix, checkXy, type Matrix } from "../core/matrix.js";
import { registerEstimators } from "../core/registry.js";
import type { EstimatorTags } from "../core/tags.js";
import { assertFiniteTarget, choleskySolve, normalEquations, pinvSolve } from "./least-squares.js";
import { linearScores } from "./logistic-loss.js";

/** Params of {@link LinearRegression}. */
export interface LinearRegressionParams {
  /** Learn an intercept (features and target are centered first). */
  readonly fitIntercept: boolean;
}

const DEFAULTS: LinearRegressionParams = { fitIntercept: true };
const SCHEMA = z.strictObject({ fitIntercept: z.boolean() });

/** Learned state of a linear regressor: `y = X·coef + intercept`. */
export interface LinearModelState {
  /** One weight per feature. */
  readonly coef: Float64Array;
  /** Intercept (0 without fitIntercept). */
  readonly intercept: number;
  /** Feature names seen at fit time. */
  readonly features: string[];
}

/**
 * Ordinary least squares. Collinear features get the minimum-norm solution (like numpy's
 * lstsq), so one-hot columns with all levels kept are fine.
 * @example
 * const reg = new LinearRegression().fit(matrixFromRows([[0], [1], [2]]), Float64Array.from([1, 3, 5]));
 * reg.predict(matrixFromRows([[3]])); // Float64Array [7]
 */
export class LinearRegression
  extends Estimator<LinearRegressionParams, LinearModelState>
  implements Regressor
{
  static override readonly typeName = "LinearRegression";
  static override readonly tags: EstimatorTags = { kind: "regressor", allowNaN: false, stochastic: false };
  static override testParams(): object[] {
    return [{}, { fitIntercept: false }];
  }

  constructor(params: Partial<LinearRegressionParams> = {}) {
    super(DEFAULTS, params, SCHEMA);
  }

  /** Solves the least-squares problem. */
  fit(X: Matrix, y: Float64Array, _options?: FitOptions<Float64Array>): this {
    const { fitIntercept } = this.validParams();
    this.fitted_ = fitLinear(this.typeName, X, y, fitIntercept, 0);
    return this;
  }

  /** `X·coef + intercept`. */
  predict(X: Matrix): Float64Array {
    return predictLinear(this.assertFitted(), X, this.typeName);
  }
}

/** Least squares with an optional ridge penalty `alpha ||w||²` (intercept unpenalized). */
export function fitLinear(
  who: string,
  X: Matrix,
  y: Float64Array,
  fitIntercept: boolean,
  alpha: number,
): LinearModelState {
  checkXy(X, y, who);
  assertFinite(X, who);
  assertFiniteTarget(y, who);
  const ne = normalEquations(X, y, fitIntercept);
  const d = X.nCols;
  if (alpha > 0) for (let j = 0; j < d; j++) ne.gram[j * d + j]! += alpha;
  const coef = (alpha > 0 ? choleskySolve(ne.gram, ne.xty) : null) ?? pinvSolve(ne.gram, ne.xty);
  let intercept = ne.yMean;
  for (let j = 0; j < d; j++) intercept -= ne.xMean[j]! * coef[j]!;
  return { coef, intercept: fitIntercept ? intercept : 0, features: [...X.names] };
}

/** Predictions of a fitted linear state. */
export function predictLinear(state: LinearModelState, X: Matrix, who: string): Float64Array {
  checkMatrix(X, state.features, who);
  return linearScores(X, state.coef, Float64Array.of(state.intercept));
}

registerEstimators(LinearRegression);
