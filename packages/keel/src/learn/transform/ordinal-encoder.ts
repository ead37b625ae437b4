import { z } from "zod";
import type { Transformer } from "../core/capabilities.js";
import { Estimator } from "../core/estimator.js";
import { registerEstimators } from "../core/registry.js";
import { numericColumn, type Table } from "../core/table.js";
import type { EstimatorTags } from "../core/tags.js";
import { categoriesOf, categoryOf, checkNonEmpty, mapColumns } from "./column-map.js";
import type { EncodedColumn } from "./one-hot-encoder.js";

/** Params of {@link OrdinalEncoder}. */
export interface OrdinalEncoderParams {
  /** Code of a category unseen at fit time: -1 or NaN (scikit-learn's `unknown_value`). */
  readonly unknownValue: number;
}

const DEFAULTS: OrdinalEncoderParams = { unknownValue: -1 };
const SCHEMA = z.strictObject({
  unknownValue: z.union([z.literal(-1), z.nan()]),
});

/** Learned state of {@link OrdinalEncoder}. */
export interface OrdinalEncoderState {
  /** One entry per input column; code = index in `categories`. */
  readonly columns: EncodedColumn[];
}

/**
 * Replaces each category with its index in the sorted category list; missing stays NaN
 * (scikit-learn 1.2's `encoded_missing_value`), unseen categories get `unknownValue`.
 * @example
 * const enc = new OrdinalEncoder().fit(tableFromArrays({ c: ["b", "a"] }));
 * enc.transform(tableFromArrays({ c: ["b", "z", null] })); // c = [1, -1, NaN]
 */
export class OrdinalEncoder
  extends Estimator<OrdinalEncoderParams, OrdinalEncoderState>
  implements Transformer
{
  static override readonly typeName = "OrdinalEncoder";
  static override readonly tags: EstimatorTags = {
    kind: "transformer",
    allowNaN: true,
    stochastic: false,
    input: "categorical",
  };
  static override testParams(): object[] {
    return [{}, { unknownValue: Number.NaN }];
  }

  constructor(params: Partial<OrdinalEncoderParams> = {}) {
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

  /** Replaces categories with codes. */
  transform(table: Table): Table {
    const { columns } = this.assertFitted();
    const unknown = this.getParams().unknownValue;
    return mapColumns(
      table,
      columns.map((c) => c.name),
      this.typeName,
      (col, j) => {
        const index = new Map(columns[j]!.categories.map((c, k) => [c, k]));
        const out = new Float64Array(table.rowCount);
        for (let i = 0; i < table.rowCount; i++) {
          const c = categoryOf(col, i);
          out[i] = c === null ? Number.NaN : (index.get(c) ?? unknown);
        }
        return [numericColumn(col.name, out)];
      },
    );
  }
}

registerEstimators(OrdinalEncoder);
