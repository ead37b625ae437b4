/** What an estimator is and accepts (scikit-learn's `_more_tags`), read by guards and `checkEstimator`. */
export interface EstimatorTags {
  /** The capability: classifier / regressor (Matrix in) or transformer (Table in, Table out). */
  readonly kind: "classifier" | "regressor" | "transformer";
  /** True when NaN feature values are accepted (trees, imputers); false means they are rejected. */
  readonly allowNaN: boolean;
  /** True when results depend on the `seed` param (checked for seeded determinism). */
  readonly stochastic: boolean;
  /** For transformers: which column kinds the conformance suite should feed it. */
  readonly input?: "numeric" | "categorical" | "datetime" | "mixed";
  /**
   * For classifiers: `predict(X)` is the argmax of `predictProba(X)` (ties to the lowest class),
   * so a caller that has the probabilities can derive the labels without predicting twice.
   */
  readonly predictIsArgmax?: boolean;
}

/** Default tags of the base class; every learner overrides them. */
export const DEFAULT_TAGS: EstimatorTags = Object.freeze({
  kind: "regressor",
  allowNaN: false,
  stochastic: false,
});
