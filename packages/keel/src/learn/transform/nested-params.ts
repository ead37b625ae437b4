/**
 * Splits `{ a: 1, step__b: 2, step__sub__c: 3 }` into the estimator's own params and, per
 * nested name, the params to pass down (`step → { b: 2, sub__c: 3 }`): scikit-learn's
 * `step__param` convention, used by Pipeline and ColumnTransformer.
 */
export function routeNestedParams(params: Readonly<Record<string, unknown>>): {
  own: Record<string, unknown>;
  nested: Map<string, Record<string, unknown>>;
} {
  const own: Record<string, unknown> = {};
  const nested = new Map<string, Record<string, unknown>>();
  for (const [key, value] of Object.entries(params)) {
    const cut = key.indexOf("__");
    if (cut < 0) {
      own[key] = value;
      continue;
    }
    const name = key.slice(0, cut);
    const sub = nested.get(name) ?? {};
    sub[key.slice(cut + 2)] = value;
    nested.set(name, sub);
  }
  return { own, nested };
}
