/**
 * Shared foundations of `learn/`: data types (Matrix, Table, ProbaMatrix, targets), the
 * Estimator base class, capability interfaces and guards, seeded randomness, serialization
 * and the `checkEstimator` conformance suite.
 *
 * Writing a learner: see `learn/dummy/dummy-classifier.ts` — a params interface, DEFAULTS, a
 * `z.strictObject` SCHEMA, `class X extends Estimator<P, S> implements Classifier`, static
 * `typeName`/`tags`/`testParams()`, `this.validParams()` first in `fit`, state in `fitted_`
 * (plain data and typed arrays only, so it serializes), `assertFitted()` in predict, and
 * `registerEstimators(X)` at the bottom of the module.
 */
export * from "./capabilities.js";
export * from "./check-estimator.js";
export * from "./conformance-data.js";
export * from "./estimator.js";
export * from "./matrix.js";
export * from "./not-fitted-error.js";
export * from "./params.js";
export * from "./proba-matrix.js";
export * from "./random.js";
export * from "./registry.js";
export * from "./stats.js";
export * from "./table.js";
export * from "./tags.js";
export * from "./targets.js";
export * from "./value-codec.js";
