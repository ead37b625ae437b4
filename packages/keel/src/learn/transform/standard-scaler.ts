import { z } from "zod";
import type { Transformer } from "../core/capabilities.js";
import { Estimator } from "../core/estimator.js";
import { registerEstimators } from "../core/registry.js";
import { numericColumn, type Table } from "../core/table.js";
import type { EstimatorTags } from "../core/tags.js";
import { checkNonEmpty, mapColumns, numericColumnNames } from "./column-map.js";

/** Params of {@link StandardScaler}. */
export interface StandardScalerParams {
  /** Subtract the mean. */
  readonly withMean: boolean;
  /** Divide by the (population) standard deviation. */
  readonly withStd: boolean;
}

const DEFAULTS: StandardScalerParams = { withMean: true, withStd: true };
const SCHEMA = z.strictObject({ withMean: z.boolean(), withStd: z.boolean() });

/** Learned state: `x' = (x - offset[j]) / scale[j]`. */
export interface StandardScalerState {
  /** Input columns in order. */
  readonly columns: string[];
  /** Per-column mean (0 when withMean is false). */
  readonly offset: Float64Array;
  /** Per-column standard deviation (1 when withStd is false or the column is constant). */
  readonly scale: Float64Array;
}

/**
 * Standardizes numeric columns (scikit-learn's StandardScaler): NaN is ignored when learning
 * and stays NaN; a constant column gets scale 1.
 * @example
 * new StandardScaler().fit(tableFromArrays({ x: [1, 2, 3] })).transform(tableFromArrays({ x: [3] })); // x ≈ [1.2247]
 */
export class StandardScaler
  extends Estimator<StandardScalerParams, StandardScalerState>
  implements Transformer
{
  static override readonly typeName = "StandardScaler";
  static override readonly tags: EstimatorTags = {
    kind: "transformer",
    allowNaN: true,
    stochastic: false,
    input: "numeric",
  };
  static override testParams(): object[] {
    return [{}, { withMean: false }, { withMean: false, withStd: false }];
  }

  constructor(params: Partial<StandardScalerParams> = {}) {
    super(DEFAULTS, params, SCHEMA);
  }

  /** Learns mean and standard deviation per column (two passes, for accuracy). */
  fit(table: Table): this {
    const p = this.validParams();
    checkNonEmpty(table, this.typeName);
    const columns = numericColumnNames(table, this.typeName);
    const k = columns.length;
    const offset = new Float64Array(k);
    const scale = new Float64Array(k).fill(1);
    // Neither centring nor scaling (the pass-through of tree pipelines): nothing to learn.
    if (p.withMean || p.withStd)
      table.columns.forEach((col, j) => {
        const v = col.values as Float64Array;
        let sum = 0;
        let n = 0;
        for (let i = 0; i < v.length; i++) {
          if (!Number.isNaN(v[i]!)) {
            sum += v[i]!;
            n++;
          }
        }
        const mean = n > 0 ? sum / n : 0;
        let ss = 0;
        for (let i = 0; i < v.length; i++) if (!Number.isNaN(v[i]!)) ss += (v[i]! - mean) ** 2;
        const std = n > 0 ? Math.sqrt(ss / n) : 0;
        if (p.withMean) offset[j] = mean;
        // Like sklearn's _handle_zeros_in_scale: near-constant columns are left unscaled.
        if (p.withStd && std > 10 * Number.EPSILON * Math.max(1, Math.abs(mean))) scale[j] = std;
      });
    this.fitted_ = { columns, offset, scale };
    return this;
  }

  /** Applies `(x - offset) / scale`. */
  transform(table: Table): Table {
    const { columns, offset, scale } = this.assertFitted();
    return mapColumns(table, columns, this.typeName, (col, j) => {
      const v = col.values as Float64Array;
      const o = offset[j]!;
      const s = scale[j]!;
      // An unscaled column is passed on as it is (transformers never write into their input).
      if (o === 0 && s === 1) return [numericColumn(col.name, v)];
      const out = new Float64Array(v.length);
      for (let i = 0; i < v.length; i++) out[i] = (v[i]! - o) / s;
      return [numericColumn(col.name, out)];
    });
  }
}

registerEstimators(StandardScaler);
