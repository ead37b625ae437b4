import { Estimator } from "../core/estimator.js";

/** A param value as a run parameter: numbers, strings, booleans or null. */
export type FlatParamValue = string | number | boolean | null;

/**
 * All params of an estimator, nested ones included, as `step__param` keys (scikit-learn's
 * `get_params(deep=True)`), with values fit for tracking: nested estimators become their type
 * name and the keys of their own params; arrays and objects are JSON text.
 * @example
 * const pipe = new Pipeline({ steps: [["scale", new StandardScaler()], ["model", new Ridge({ alpha: 2 })]] });
 * flatParams(pipe)["model__alpha"]; // 2
 */
export function flatParams(estimator: Estimator<object>, prefix = ""): Record<string, FlatParamValue> {
  const out: Record<string, FlatParamValue> = {};
  for (const [key, value] of Object.entries(estimator.getParams())) {
    const name = `${prefix}${key}`;
    if (value instanceof Estimator) {
      out[name] = value.typeName;
      Object.assign(out, flatParams(value, `${name}__`));
    } else if (isNamedList(value)) {
      // Pipeline steps and ColumnTransformer entries: [name, estimator, ...].
      out[name] = JSON.stringify(
        value.map((entry) => [entry[0], (entry[1] as Estimator<object>).typeName, ...entry.slice(2)]),
      );
      for (const entry of value)
        Object.assign(out, flatParams(entry[1] as Estimator<object>, `${prefix}${entry[0]}__`));
    } else out[name] = plain(value);
  }
  return out;
}

function isNamedList(v: unknown): v is unknown[][] {
  return (
    Array.isArray(v) &&
    v.length > 0 &&
    v.every((e) => Array.isArray(e) && typeof e[0] === "string" && e[1] instanceof Estimator)
  );
}

function plain(v: unknown): FlatParamValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  return JSON.stringify(v);
}
