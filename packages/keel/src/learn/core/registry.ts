import { invalidParam } from "../../errors.js";
import type { AnyEstimator, EstimatorClass } from "./estimator.js";
import { decodeValue, type SerializedEstimator } from "./value-codec.js";

// The fixed map of classes `deserializeEstimator` may construct: loading a model never runs code
// from the file, it only picks one of these by name.
const REGISTRY = new Map<string, EstimatorClass>();

/** Adds estimator classes to the deserialization registry (each learner module registers itself). */
export function registerEstimators(...classes: EstimatorClass[]): void {
  for (const Ctor of classes) {
    const existing = REGISTRY.get(Ctor.typeName);
    if (existing && existing !== Ctor)
      throw invalidParam(`Two estimator classes use the type name '${Ctor.typeName}'`);
    REGISTRY.set(Ctor.typeName, Ctor);
  }
}

/** The registered class for `typeName`, if any. */
export function estimatorClass(typeName: string): EstimatorClass | undefined {
  return REGISTRY.get(typeName);
}

/** Type names of every registered class, sorted. */
export function registeredEstimators(): string[] {
  return [...REGISTRY.keys()].sort();
}

/**
 * Rebuilds an estimator from {@link SerializedEstimator} data. Only registered classes can be
 * built; an unknown type is an error listing the known ones.
 */
export function deserializeEstimator<E extends AnyEstimator = AnyEstimator>(data: SerializedEstimator): E {
  if (!data || typeof data.type !== "string") throw invalidParam("Serialized estimator has no 'type' field");
  const Ctor = REGISTRY.get(data.type);
  if (!Ctor) {
    throw invalidParam(
      `Unknown estimator type '${data.type}'; known types: ${registeredEstimators().join(", ") || "(none registered: import the learner modules first)"}`,
    );
  }
  const params = decodeValue(data.params, (s) => deserializeEstimator(s));
  const state = decodeValue(data.state, (s) => deserializeEstimator(s));
  return (new Ctor(params) as E).restoreState(state);
}
