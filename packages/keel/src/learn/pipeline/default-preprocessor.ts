import type { AnyEstimator } from "../core/estimator.js";
import type { ColumnRoles } from "../transform/column-roles.js";
import { ColumnTransformer, type ColumnTransformerEntry } from "../transform/column-transformer.js";
import { DatetimePartsExtractor } from "../transform/datetime-parts.js";
import { OneHotEncoder } from "../transform/one-hot-encoder.js";
import { OrdinalEncoder } from "../transform/ordinal-encoder.js";
import { SimpleImputer } from "../transform/simple-imputer.js";
import { StandardScaler } from "../transform/standard-scaler.js";
import { Pipeline } from "./pipeline.js";

/** Options of {@link defaultPreprocessor}. */
export interface PreprocessorOptions {
  /** Fill missing values (off for learners that handle NaN natively, such as trees). Default true. */
  impute?: boolean;
  /** Standardize numeric columns (linear models, kNN). Default false. */
  scale?: boolean;
  /** Encoding of low-cardinality categorical columns. Default "onehot". */
  categorical?: "onehot" | "ordinal";
}

/**
 * A ColumnTransformer for inferred roles: numeric → (median imputation) → (scaling);
 * boolean → (most-frequent imputation); datetime → month/day_of_week/hour → (median
 * imputation); categorical → one-hot (or ordinal; always ordinal when high-cardinality).
 * "ignore" columns are dropped.
 */
export function defaultPreprocessor(
  roles: ColumnRoles,
  options: PreprocessorOptions = {},
): ColumnTransformer {
  const { impute = true, scale = false, categorical = "onehot" } = options;
  const of = (pred: (c: ColumnRoles["columns"][number]) => boolean) =>
    roles.columns.filter(pred).map((c) => c.name);
  const chain = (name: string, steps: AnyEstimator[]): AnyEstimator =>
    steps.length === 1
      ? steps[0]!
      : new Pipeline({ steps: steps.map((s, i) => [`${name}${i}`, s] as const) });
  const numericSteps: AnyEstimator[] = [];
  if (impute) numericSteps.push(new SimpleImputer({ strategy: "median" }));
  if (scale) numericSteps.push(new StandardScaler());
  const entries: ColumnTransformerEntry[] = [];
  const add = (name: string, steps: AnyEstimator[], cols: string[]) => {
    if (cols.length > 0 && steps.length > 0) entries.push([name, chain(name, steps), cols]);
    else if (cols.length > 0)
      entries.push([name, new StandardScaler({ withMean: false, withStd: false }), cols]);
  };
  add(
    "numeric",
    numericSteps,
    of((c) => c.role === "numeric"),
  );
  add(
    "boolean",
    impute ? [new SimpleImputer({ strategy: "most_frequent" })] : [],
    of((c) => c.role === "boolean"),
  );
  add(
    "datetime",
    [new DatetimePartsExtractor(), ...(impute ? [new SimpleImputer({ strategy: "median" })] : [])],
    of((c) => c.role === "datetime"),
  );
  add(
    "categorical",
    [categorical === "onehot" ? new OneHotEncoder() : new OrdinalEncoder()],
    of((c) => c.role === "categorical" && !c.highCardinality),
  );
  add(
    "high_cardinality",
    [new OrdinalEncoder()],
    of((c) => c.role === "categorical" && c.highCardinality),
  );
  return new ColumnTransformer({ transformers: entries, remainder: "drop" });
}

/** `[["preprocess", defaultPreprocessor(roles, options)], ["model", model]]` as a Pipeline. */
export function defaultPipeline(
  roles: ColumnRoles,
  model: AnyEstimator,
  options: PreprocessorOptions = {},
): Pipeline {
  return new Pipeline({
    steps: [
      ["preprocess", defaultPreprocessor(roles, options)],
      ["model", model],
    ],
  });
}
