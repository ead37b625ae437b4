import { z } from "zod";
import { invalidParam } from "../../errors.js";
import type { Transformer } from "../core/capabilities.js";
import { Estimator } from "../core/estimator.js";
import { registerEstimators } from "../core/registry.js";
import { numericColumn, type Table } from "../core/table.js";
import type { EstimatorTags } from "../core/tags.js";
import { categoriesOf, categoryOf, checkNonEmpty, mapColumns } from "./column-map.js";

/** Params of {@link OneHotEncoder}. */
export interface OneHotEncoderParams {
  /** "ignore": an unseen category encodes as all zeros; "error": it is an error. */
  readonly handleUnknown: "ignore" | "error";
}

const DEFAULTS: OneHotEncoderParams = { handleUnknown: "ignore" };
const SCHEMA = z.strictObject({ handleUnknown: z.enum(["ignore", "error"]) });

/** Learned categories of one column. */
export interface EncodedColumn {
  /** Column name. */
  readonly name: string;
  /** Sorted categories (numbers formatted like JSON). */
  readonly categories: string[];
}

/** Learned state of {@link OneHotEncoder}. */
export interface OneHotEncoderState {
  /** One entry per input column. */
  readonly columns: EncodedColumn[];
}

/**
 * One 0/1 column per category, named `column_category` (scikit-learn's feature names). Missing
 * values encode as all zeros, like unknown categories under "ignore".
 * @example
 * const enc = new OneHotEncoder().fit(tableFromArrays({ c: ["b", "a", "b"] }));
 * enc.transform(tableFromArrays({ c: ["a", "z"] })); // c_a = [1, 0], c_b = [0, 0]
 */
export class OneHotEncoder extends Estimator<OneHotEncoderParams, OneHotEncoderState> implements Transformer {
  static override readonly typeName = "OneHotEncoder";
  static override readonly tags: EstimatorTags = {
    kind: "transformer",
    allowNaN: true,
    stochastic: false,
    input: "categorical",
  };
  static override testParams(): object[] {
    return [{}];
  }

  constructor(params: Partial<OneHotEncoderParams> = {}) {
    super(DEFAULTS, params, SCHEMA);
  }

  /** Learns the sorted categories of each column. */
  fit(table: Table): this {
    this.validParams();
    checkNonEmpty(table, this.typeName);
    this.fitted_ = {
      columns: table.columns.map((col) => ({ name: col.name, categories: categoriesOf(col) })),
    };
    return this;
  }

  /** Replaces each column with its indicator columns. */
  transform(table: Table): Table {
    const { columns } = this.assertFitted();
    const strict = this.getParams().handleUnknown === "error";
    return mapColumns(
      table,
      columns.map((c) => c.name),
      this.typeName,
      (col, j) => {
        const cats = columns[j]!.categories;
        const index = new Map(cats.map((c, k) => [c, k]));
        const outs = cats.map(() => new Float64Array(table.rowCount));
        for (let i = 0; i < table.rowCount; i++) {
          const c = categoryOf(col, i);
          if (c === null) continue;
          const k = index.get(c);
          if (k !== undefined) outs[k]![i] = 1;
          else if (strict) {
            throw invalidParam(
              `Column '${col.name}' row ${i} has category '${c}' unseen at fit time; use handleUnknown: "ignore" to encode it as zeros`,
            );
          }
        }
        return cats.map((c, k) => numericColumn(`${col.name}_${c}`, outs[k]!));
      },
    );
  }
}

registerEstimators(OneHotEncoder);
