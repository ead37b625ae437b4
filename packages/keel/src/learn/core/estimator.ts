import type { z } from "zod";
import { invalidParam } from "../../errors.js";
import { NotFittedError } from "./not-fitted-error.js";
import { parseParams } from "./params.js";
import { DEFAULT_TAGS, type EstimatorTags } from "./tags.js";
import { encodeValue, type SerializedEstimator } from "./value-codec.js";

/** Any estimator, whatever its params and state. */
// biome-ignore lint/suspicious/noExplicitAny: the erased form every concrete estimator is assignable to.
export type AnyEstimator = Estimator<any, any>;

/** The constructor side of an estimator: what the registry, `clone` and `checkEstimator` use. */
export interface EstimatorClass<E extends AnyEstimator = AnyEstimator> {
  // biome-ignore lint/suspicious/noExplicitAny: params are validated by the estimator's own schema.
  new (params?: any): E;
  /** Stable type name: the serialization registry key. */
  readonly typeName: string;
  /** Capabilities. */
  readonly tags: EstimatorTags;
  /** Small, fast param sets for the conformance suite (River's `_unit_test_params`). */
  testParams(): object[];
}

/**
 * Base of every learner and transformer (scikit-learn's BaseEstimator): the constructor only
 * stores `{...defaults, ...params}` frozen; params are validated by Zod in `fit()` (call
 * {@link Estimator.validParams}), so `clone()` and `setParams()` always round-trip. Learned
 * state lives in the single `fitted_` field, read through {@link Estimator.assertFitted}.
 *
 * Subclasses declare `static override readonly typeName`, `static override readonly tags`,
 * `static override testParams()`, and call `super(DEFAULTS, params, SCHEMA)`.
 */
export abstract class Estimator<P extends object, S = unknown> {
  /** Registry key; subclasses override. */
  static readonly typeName: string = "Estimator";
  /** Capabilities; subclasses override. */
  static readonly tags: EstimatorTags = DEFAULT_TAGS;
  /** Param sets for the conformance suite; subclasses override. */
  static testParams(): object[] {
    return [{}];
  }

  /** Learned state, undefined until `fit` (scikit-learn's trailing-underscore attributes). */
  fitted_: S | undefined = undefined;
  #params: Readonly<P>;
  readonly #defaults: Readonly<P>;
  readonly #schema: z.ZodType<P>;

  protected constructor(defaults: P, params: Partial<P> | undefined, schema: z.ZodType<P>) {
    this.#defaults = Object.freeze({ ...defaults });
    this.#schema = schema;
    this.#params = Object.freeze({ ...defaults, ...(params ?? {}) });
  }

  /** The registry type name of this estimator's class. */
  get typeName(): string {
    return (this.constructor as EstimatorClass).typeName;
  }

  /** Capabilities (the class's static tags; meta-estimators like Pipeline derive theirs). */
  get tags(): EstimatorTags {
    return (this.constructor as EstimatorClass).tags;
  }

  /** The params as given (defaults filled in), a fresh shallow copy. */
  getParams(): P {
    return { ...this.#params };
  }

  /** Replaces some params (unknown names are rejected now; values are validated in `fit`). */
  setParams(params: Partial<P>): this {
    for (const key of Object.keys(params)) {
      if (!(key in this.#defaults)) {
        throw invalidParam(
          `${this.typeName} has no parameter '${key}'; valid parameters: ${Object.keys(this.#defaults).join(", ")}`,
        );
      }
    }
    this.#params = Object.freeze({ ...this.#params, ...params });
    return this;
  }

  /** A new unfitted estimator with the same params; nested estimators are cloned too. */
  clone(): this {
    const Ctor = this.constructor as new (params: P) => this;
    return new Ctor(cloneParamValue(this.getParams()) as P);
  }

  /** True once `fit` has run. */
  get isFitted(): boolean {
    return this.fitted_ !== undefined;
  }

  /** The learned state, or a {@link NotFittedError}. */
  assertFitted(): S {
    if (this.fitted_ === undefined) throw new NotFittedError(this.typeName);
    return this.fitted_;
  }

  /** `{ type, params, state }` as JSON-safe data; see `deserializeEstimator` for the way back. */
  serialize(): SerializedEstimator {
    return {
      type: this.typeName,
      params: encodeValue(this.getParams(), `${this.typeName}.params`),
      state: encodeValue(this.fitted_ ?? null, `${this.typeName}.state`),
    };
  }

  /** Installs learned state read back by the deserializer (not for general use). */
  restoreState(state: S | null): this {
    this.fitted_ = state ?? undefined;
    return this;
  }

  /** The params validated by the class's Zod schema; call first thing in `fit`. */
  protected validParams(): P {
    return parseParams(this.typeName, this.#schema, this.#params);
  }
}

/** Deep-copies a param value: estimators are cloned, arrays and plain objects copied. */
export function cloneParamValue(value: unknown): unknown {
  if (value instanceof Estimator) return value.clone();
  if (Array.isArray(value)) return value.map(cloneParamValue);
  if (ArrayBuffer.isView(value)) return (value as unknown as Float64Array).slice();
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneParamValue(v)]));
  }
  return value;
}
