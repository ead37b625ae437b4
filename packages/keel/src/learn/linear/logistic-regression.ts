import { z } from "zod";
import type { Classifier, ClassifierFitOptions } from "../core/capabilities.js";
import { Estimator } from "../core/estimator.js";
import { assertFinite, checkMatrix, checkXy, type Matrix } from "../core/matrix.js";
import { argmaxRows, type ProbaMatrix, softmaxRowsInPlace } from "../core/proba-matrix.js";
import { registerEstimators } from "../core/registry.js";
import type { EstimatorTags } from "../core/tags.js";
import { countClasses } from "../core/targets.js";
import { type LbfgsResult, minimizeLbfgs } from "./lbfgs.js";
import { linearScores, multinomialObjective } from "./logistic-loss.js";
import { binaryObjective } from "./parallel-binary-objective.js";

/** Params of {@link LogisticRegression} (scikit-learn's, with solver "lbfgs" and penalty "l2"). */
export interface LogisticRegressionParams {
  /** Inverse L2 strength: the objective is sum(log loss) + ||W||² / (2C). */
  readonly C: number;
  /** Learn intercepts (never penalized). */
  readonly fitIntercept: boolean;
  /** L-BFGS iteration limit. */
  readonly maxIter: number;
  /** Stop when the largest gradient component is at most `tol`. */
  readonly tol: number;
}

const DEFAULTS: LogisticRegressionParams = { C: 1, fitIntercept: true, maxIter: 100, tol: 1e-4 };
const SCHEMA = z.strictObject({
  C: z.number().positive(),
  fitIntercept: z.boolean(),
  maxIter: z.int().positive(),
  tol: z.number().positive(),
});

/** Learned state of {@link LogisticRegression}. */
export interface LogisticRegressionState {
  /** Row-major `[nOut, nFeatures]` weights; nOut = 1 for binary (class 1's score), else nClasses. */
  readonly coef: Float64Array;
  /** One intercept per output. */
  readonly intercept: Float64Array;
  /** Number of classes. */
  readonly nClasses: number;
  /** Feature names seen at fit time. */
  readonly features: string[];
  /** L-BFGS iterations used. */
  readonly nIter: number;
  /** False when maxIter was reached first (scikit-learn's ConvergenceWarning). */
  readonly converged: boolean;
}

/**
 * L2-regularized logistic regression: sigmoid for two classes, multinomial softmax for more,
 * fitted by L-BFGS with scikit-learn 1.2's objective and stopping rules.
 * @example
 * const clf = new LogisticRegression({ C: 10 });
 * clf.fit(matrixFromRows([[0], [1], [2], [3]]), Int32Array.from([0, 0, 1, 1]));
 * clf.predict(matrixFromRows([[0.2], [2.8]])); // Int32Array [0, 1]
 */
export class LogisticRegression
  extends Estimator<LogisticRegressionParams, LogisticRegressionState>
  implements Classifier
{
  static override readonly typeName = "LogisticRegression";
  static override readonly tags: EstimatorTags = {
    kind: "classifier",
    allowNaN: false,
    stochastic: false,
    predictIsArgmax: true,
  };
  static override testParams(): object[] {
    return [{}, { C: 0.1, fitIntercept: false }];
  }

  constructor(params: Partial<LogisticRegressionParams> = {}) {
    super(DEFAULTS, params, SCHEMA);
  }

  /** Minimizes the penalized log loss; `onIteration` receives `{ loss }` (the objective) per iteration. */
  fit(X: Matrix, y: Int32Array, options: ClassifierFitOptions = {}): this {
    const p = this.validParams();
    checkXy(X, y, this.typeName);
    assertFinite(X, this.typeName);
    const nClasses = countClasses(y, options.nClasses);
    const nOut = nClasses <= 2 ? 1 : nClasses;
    const d = X.nCols;
    const binary = nOut === 1 ? binaryObjective(X, y, p.C, p.fitIntercept) : null;
    let result: LbfgsResult;
    try {
      const objective = binary?.objective ?? multinomialObjective(X, y, nOut, p.C, p.fitIntercept);
      result = minimizeLbfgs(objective, new Float64Array(nOut * (d + 1)), {
        maxIter: p.maxIter,
        gtol: p.tol,
        onIteration: options.onIteration && ((i, f) => options.onIteration!(i, { loss: f })),
      });
    } finally {
      binary?.close();
    }
    const coef = new Float64Array(nOut * d);
    const intercept = new Float64Array(nOut);
    for (let k = 0; k < nOut; k++) {
      coef.set(result.x.subarray(k * (d + 1), k * (d + 1) + d), k * d);
      intercept[k] = result.x[k * (d + 1) + d]!;
    }
    this.fitted_ = {
      coef,
      intercept,
      nClasses: Math.max(nClasses, 2),
      features: [...X.names],
      nIter: result.iterations,
      converged: result.converged,
    };
    return this;
  }

  /** Number of classes. */
  get nClasses(): number {
    return this.assertFitted().nClasses;
  }

  /** Raw scores, row-major `[nRows, nOut]`. */
  decisionFunction(X: Matrix): Float64Array {
    const s = this.assertFitted();
    checkMatrix(X, s.features, this.typeName);
    return linearScores(X, s.coef, s.intercept);
  }

  /** Class probabilities. */
  predictProba(X: Matrix): ProbaMatrix {
    const s = this.assertFitted();
    const scores = this.decisionFunction(X);
    const n = X.nRows;
    if (s.intercept.length === 1) {
      const data = new Float64Array(n * 2);
      for (let i = 0; i < n; i++) {
        const p1 = 1 / (1 + Math.exp(-scores[i]!));
        data[2 * i] = 1 - p1;
        data[2 * i + 1] = p1;
      }
      return { nRows: n, nClasses: 2, data };
    }
    softmaxRowsInPlace(scores, s.nClasses);
    return { nRows: n, nClasses: s.nClasses, data: scores };
  }

  /** Most probable class. */
  predict(X: Matrix): Int32Array {
    return argmaxRows(this.predictProba(X));
  }
}

registerEstimators(LogisticRegression);
