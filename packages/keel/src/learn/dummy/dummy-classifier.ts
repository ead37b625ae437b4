import { z } from "zod";
import type { Classifier, ClassifierFitOptions } from "../core/capabilities.js";
import { Estimator } from "../core/estimator.js";
import { checkMatrix, checkXy, type Matrix } from "../core/matrix.js";
import type { ProbaMatrix } from "../core/proba-matrix.js";
import { Rng } from "../core/random.js";
import { registerEstimators } from "../core/registry.js";
import { argmax, classCounts } from "../core/stats.js";
import type { EstimatorTags } from "../core/tags.js";
import { countClasses } from "../core/targets.js";

/** Params of {@link DummyClassifier} (scikit-learn's DummyClassifier). */
export interface DummyClassifierParams {
  /** most_frequent: majority class, one-hot probabilities; prior: majority class, class-prior probabilities; stratified: random draws from the priors; uniform: random classes. */
  readonly strategy: "most_frequent" | "prior" | "stratified" | "uniform";
  /** Seed of the random strategies. */
  readonly seed: number;
}

const DEFAULTS: DummyClassifierParams = { strategy: "prior", seed: 0 };
const SCHEMA = z.strictObject({
  strategy: z.enum(["most_frequent", "prior", "stratified", "uniform"]),
  seed: z.int(),
});

/** Learned state: class priors. */
export interface DummyClassifierState {
  /** Fraction of each class in the training labels. */
  readonly priors: Float64Array;
}

/**
 * A baseline that ignores the features: the score any real model must beat.
 * @example
 * const clf = new DummyClassifier({ strategy: "most_frequent" });
 * clf.fit(matrixFromRows([[0], [1], [2]]), Int32Array.from([1, 1, 0]));
 * clf.predict(matrixFromRows([[5]])); // Int32Array [1]
 */
export class DummyClassifier
  extends Estimator<DummyClassifierParams, DummyClassifierState>
  implements Classifier
{
  static override readonly typeName = "DummyClassifier";
  static override readonly tags: EstimatorTags = { kind: "classifier", allowNaN: true, stochastic: true };
  static override testParams(): object[] {
    return [
      { strategy: "most_frequent" },
      { strategy: "prior" },
      { strategy: "stratified", seed: 3 },
      { strategy: "uniform" },
    ];
  }

  constructor(params: Partial<DummyClassifierParams> = {}) {
    super(DEFAULTS, params, SCHEMA);
  }

  /** Records the class priors. */
  fit(X: Matrix, y: Int32Array, options: ClassifierFitOptions = {}): this {
    this.validParams();
    checkXy(X, y, this.typeName);
    const k = countClasses(y, options.nClasses);
    const priors = classCounts(y, k);
    for (let c = 0; c < k; c++) priors[c]! /= y.length;
    this.fitted_ = { priors };
    return this;
  }

  /** Number of classes. */
  get nClasses(): number {
    return this.assertFitted().priors.length;
  }

  /** Class per row following the strategy (random strategies are seeded, so repeatable). */
  predict(X: Matrix): Int32Array {
    const { priors } = this.assertFitted();
    checkMatrix(X, undefined, this.typeName);
    const { strategy } = this.getParams();
    if (strategy === "most_frequent" || strategy === "prior")
      return new Int32Array(X.nRows).fill(argmax(priors));
    return this.#randomClasses(X.nRows, priors);
  }

  /** Probabilities per row following the strategy. */
  predictProba(X: Matrix): ProbaMatrix {
    const { priors } = this.assertFitted();
    checkMatrix(X, undefined, this.typeName);
    const k = priors.length;
    const n = X.nRows;
    const data = new Float64Array(n * k);
    const { strategy } = this.getParams();
    if (strategy === "prior") for (let i = 0; i < n; i++) data.set(priors, i * k);
    else if (strategy === "uniform") data.fill(1 / k);
    else {
      const classes =
        strategy === "most_frequent"
          ? new Int32Array(n).fill(argmax(priors))
          : this.#randomClasses(n, priors);
      for (let i = 0; i < n; i++) data[i * k + classes[i]!] = 1;
    }
    return { nRows: n, nClasses: k, data };
  }

  #randomClasses(n: number, priors: Float64Array): Int32Array {
    const rng = new Rng(this.getParams().seed);
    const out = new Int32Array(n);
    const k = priors.length;
    const uniform = this.getParams().strategy === "uniform";
    for (let i = 0; i < n; i++) {
      if (uniform) {
        out[i] = rng.int(k);
        continue;
      }
      let u = rng.next();
      let c = 0;
      while (c < k - 1 && u >= priors[c]!) u -= priors[c++]!;
      out[i] = c;
    }
    return out;
  }
}

registerEstimators(DummyClassifier);
