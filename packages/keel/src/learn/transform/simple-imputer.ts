import { z } from "zod";
import { invalidParam } from "../../errors.js";
import type { Transformer } from "../core/capabilities.js";
import { Estimator } from "../core/estimator.js";
import { registerEstimators } from "../core/registry.js";
import { nanMean, quantileSorted, sortedFinite } from "../core/stats.js";
import { numericColumn, type Table, type TypedColumn } from "../core/table.js";
import type { EstimatorTags } from "../core/tags.js";
import { categoryOf, checkNonEmpty, mapColumns } from "./column-map.js";

/** Params of {@link SimpleImputer} (scikit-learn's SimpleImputer). */
export interface SimpleImputerParams {
  /** mean / median (numeric columns only), most_frequent (ties → smallest), constant (`fillValue`). */
  readonly strategy: "mean" | "median" | "most_frequent" | "constant";
  /** Value for "constant"; null means 0 for numeric columns and "missing_value" for strings. */
  readonly fillValue: number | string | null;
}

const DEFAULTS: SimpleImputerParams = { strategy: "mean", fillValue: null };
const SCHEMA = z.strictObject({
  strategy: z.enum(["mean", "median", "most_frequent", "constant"]),
  fillValue: z.union([z.number(), z.string()]).nullable(),
});

/** Learned fill value of one column. */
export interface ImputedColumn {
  /** Column name. */
  readonly name: string;
  /** The value replacing missing cells (a number for numeric-like columns, a string for strings). */
  readonly fill: number | string;
}

/** Learned state of {@link SimpleImputer}. */
export interface SimpleImputerState {
  /** One entry per input column, in input order. */
  readonly columns: ImputedColumn[];
}

/**
 * Replaces missing values (NaN / null) column by column. A column with no values at all is an
 * error for mean/median/most_frequent (there is nothing to learn from): drop it or use "constant".
 * @example
 * const imp = new SimpleImputer({ strategy: "median" });
 * imp.fit(tableFromArrays({ x: [1, NaN, 3, 10] })).transform(tableFromArrays({ x: [NaN] })); // x = [3]
 */
export class SimpleImputer extends Estimator<SimpleImputerParams, SimpleImputerState> implements Transformer {
  static override readonly typeName = "SimpleImputer";
  static override readonly tags: EstimatorTags = {
    kind: "transformer",
    allowNaN: true,
    stochastic: false,
    input: "mixed",
  };
  static override testParams(): object[] {
    return [{}, { strategy: "median" }, { strategy: "most_frequent" }, { strategy: "constant" }];
  }

  constructor(params: Partial<SimpleImputerParams> = {}) {
    super(DEFAULTS, params, SCHEMA);
  }

  /** Mean/median only apply to numbers, so the conformance suite feeds those numeric columns. */
  override get tags(): EstimatorTags {
    const numericOnly = this.getParams().strategy === "mean" || this.getParams().strategy === "median";
    return { ...SimpleImputer.tags, input: numericOnly ? "numeric" : "mixed" };
  }

  /** Learns one fill value per column. */
  fit(table: Table): this {
    const p = this.validParams();
    checkNonEmpty(table, this.typeName);
    this.fitted_ = { columns: table.columns.map((col) => ({ name: col.name, fill: learnFill(col, p) })) };
    return this;
  }

  /** Fills missing cells. */
  transform(table: Table): Table {
    const { columns } = this.assertFitted();
    return mapColumns(
      table,
      columns.map((c) => c.name),
      this.typeName,
      (col, i) => [fillColumn(col, columns[i]!.fill)],
    );
  }
}

function learnFill(col: TypedColumn, p: SimpleImputerParams): number | string {
  if (p.strategy === "constant") {
    if (p.fillValue === null) return col.kind === "string" ? "missing_value" : 0;
    if (col.kind !== "string" && typeof p.fillValue !== "number") {
      throw invalidParam(
        `SimpleImputer fillValue '${p.fillValue}' is a string but column '${col.name}' is numeric`,
      );
    }
    return col.kind === "string" ? String(p.fillValue) : p.fillValue;
  }
  if (p.strategy !== "most_frequent" && col.kind === "string") {
    throw invalidParam(
      `SimpleImputer strategy '${p.strategy}' needs numbers but column '${col.name}' holds strings: use most_frequent or constant for it`,
    );
  }
  const allMissing = `Column '${col.name}' has no values (all missing): SimpleImputer(${p.strategy}) cannot learn a fill value; drop the column or use strategy 'constant'`;
  if (col.kind !== "string" && p.strategy !== "most_frequent") {
    const v = p.strategy === "mean" ? nanMean(col.values) : quantileSorted(sortedFinite(col.values), 0.5);
    if (Number.isNaN(v)) throw invalidParam(allMissing);
    return v;
  }
  const counts = new Map<string, number>();
  for (let i = 0; i < col.values.length; i++) {
    const c = categoryOf(col, i);
    if (c !== null) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  if (counts.size === 0) throw invalidParam(allMissing);
  // Ties go to the smallest value, as scikit-learn does.
  let best: string | null = null;
  let bestCount = -1;
  for (const [c, n] of counts) {
    const smaller = best === null || (col.kind === "string" ? c < best : Number(c) < Number(best));
    if (n > bestCount || (n === bestCount && smaller)) {
      best = c;
      bestCount = n;
    }
  }
  return col.kind === "string" ? best! : Number(best);
}

function fillColumn(col: TypedColumn, fill: number | string): TypedColumn {
  if (col.kind === "string") return { ...col, values: col.values.map((v) => v ?? String(fill)) };
  const out = col.values.slice();
  const f = Number(fill);
  for (let i = 0; i < out.length; i++) if (Number.isNaN(out[i]!)) out[i] = f;
  return col.kind === "numeric" ? { ...col, values: out } : numericColumn(col.name, out, col.kind);
}

registerEstimators(SimpleImputer);
