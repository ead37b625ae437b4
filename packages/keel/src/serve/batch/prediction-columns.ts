/**
 * The columns `keel predict` adds to its output: `label` plus one `proba_<class>` per class for
 * classifiers, `prediction` for regressors, with DuckDB types chosen from the class labels.
 */
import type { Prediction } from "@keel/runtime";

/** One output column. */
export interface PredictionColumn {
  /** Column name. */
  readonly name: string;
  /** DuckDB type. */
  readonly type: "VARCHAR" | "DOUBLE" | "BOOLEAN" | "FLOAT";
  /** Values of rows `[start, end)` of a prediction. */
  values(p: Prediction, start: number, end: number): (string | number | boolean)[];
}

/** The prediction columns of a model with `task` and `classes`. */
export function predictionColumns(
  task: "binary" | "multiclass" | "regression",
  classes: readonly (string | number | boolean)[],
): PredictionColumn[] {
  if (task === "regression") {
    return [
      {
        name: "prediction",
        type: "FLOAT",
        values: (p, s, e) => (p.task === "regression" ? Array.from(p.values.subarray(s, e)) : []),
      },
    ];
  }
  const labelType = classes.every((c) => typeof c === "boolean")
    ? "BOOLEAN"
    : classes.every((c) => typeof c === "number")
      ? "DOUBLE"
      : "VARCHAR";
  const k = classes.length;
  return [
    {
      name: "label",
      type: labelType,
      values: (p, s, e) => (p.task === "regression" ? [] : p.labels.slice(s, e)),
    },
    ...classes.map(
      (c, j): PredictionColumn => ({
        name: `proba_${String(c)}`,
        type: "FLOAT",
        values: (p, s, e) => {
          if (p.task === "regression") return [];
          const out = new Array<number>(e - s);
          for (let i = s; i < e; i++) out[i - s] = p.probabilities[i * k + j]!;
          return out;
        },
      }),
    ),
  ];
}
