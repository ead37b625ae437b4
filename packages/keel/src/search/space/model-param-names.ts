import { catalogEntry } from "../../learn/train/model-catalog.js";

/**
 * The hyperparameter names of catalog model `model`, read from `getParams()` of its classifier
 * and regressor (union, in declaration order), so spaces and overrides use the estimators' real
 * names.
 * @throws KeelError INVALID_PARAMETER_VALUE for a model the catalog does not know.
 * @example modelParamNames("knn"); // ["nNeighbors", "weights"]
 */
export function modelParamNames(model: string): string[] {
  const entry = catalogEntry(model);
  const names = new Set<string>();
  for (const Ctor of [entry.classifier, entry.regressor]) {
    if (Ctor) for (const key of Object.keys(new Ctor().getParams())) names.add(key);
  }
  return [...names];
}
