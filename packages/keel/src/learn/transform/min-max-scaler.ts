import { z } from "zod";
import type { Transformer } from "../core/capabilities.js";
import { Estimator } from "../core/estimator.js";
import { registerEstimators } from "../core/registry.js";
import { numericColumn, type Table } from "../core/table.js";
import type { EstimatorTags } from "../core/tags.js";
import { checkNonEmpty, mapColumns, numericColumnNames } from "./column-map.js";

/** Params of {@link MinMaxScaler}. */
export interface MinMaxScalerParams {
  /** Target range [low, high]. */
  readonly featureRange: readonly [number, number];
}

const DEFAULTS: MinMaxScalerParams = { featureRange: [0, 1] };
const SCHEMA = z.strictObject({
  featureRange: z.tuple([z.number(), z.number()]).refine(([lo, hi]) => lo < hi, "low must be below high"),
});

/** Learned state: `x' = x * scale[j] + offset[j]` (scikit-learn's `scale_` and `min_`). */
export interface MinMaxScalerState {
  /** Input columns in order. */
  readonly columns: string[];
  /** Per-column multiplier. */
  readonly scale: Float64Array;
  /** Per-column offset added after scaling. */
  readonly offset: Float64Array;
}

/**
 * Maps each numeric column's training range onto `featureRange` (scikit-learn's MinMaxScaler);
 * NaN is ignored when learning and stays NaN; a constant column maps to the low end.
 * @example
 * new MinMaxScaler().fit(tableFromArrays({ x: [2, 4, 6] })).transform(tableFromArrays({ x: [5] })); // x = [0.75]
 */
export class MinMaxScaler extends Estimator<MinMaxScalerParams, MinMaxScalerState> implements Transformer {
  static override readonly typeName = "MinMaxScaler";
  static override readonly tags: EstimatorTags = {
    kind: "transformer",
    allowNaN: true,
    stochastic: false,
    input: "numeric",
  };
  static override testParams(): object[] {
    return [{}, { featureRange: [-1, 1] }];
  }

  constructor(params: Partial<MinMaxScalerParams> = {}) {
    super(DEFAULTS, params, SCHEMA);
  }

  /** Learns each column's minimum and maximum. */
  fit(table: Table): this {
    const [lo, hi] = this.validParams().featureRange;
    checkNonEmpty(table, this.typeName);
    const columns = numericColumnNames(table, this.typeName);
    const scale = new Float64Array(columns.length);
    const offset = new Float64Array(columns.length);
    table.columns.forEach((col, j) => {
      let min = Infinity;
      let max = -Infinity;
      for (const x of col.values as Float64Array) {
        if (x < min) min = x;
        if (x > max) max = x;
      }
      if (min > max) [min, max] = [0, 0];
      const range = max - min;
      scale[j] = (hi - lo) / (range === 0 ? 1 : range);
      offset[j] = lo - min * scale[j]!;
    });
    this.fitted_ = { columns, scale, offset };
    return this;
  }

  /** Applies `x * scale + offset`. */
  transform(table: Table): Table {
    const { columns, scale, offset } = this.assertFitted();
    return mapColumns(table, columns, this.typeName, (col, j) => {
      const v = col.values as Float64Array;
      const out = new Float64Array(v.length);
      for (let i = 0; i < v.length; i++) out[i] = v[i]! * scale[j]! + offset[j]!;
      return [numericColumn(col.name, out)];
    });
  }
}

registerEstimators(MinMaxScaler);
