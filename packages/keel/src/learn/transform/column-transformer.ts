import { z } from "zod";
import { invalidParam } from "../../errors.js";
import type { Transformer } from "../core/capabilities.js";
import { type AnyEstimator, Estimator } from "../core/estimator.js";
import { registerEstimators } from "../core/registry.js";
import { getColumn, selectColumns, type Table, type TypedColumn } from "../core/table.js";
import type { EstimatorTags } from "../core/tags.js";
import { checkNonEmpty } from "./column-map.js";
import { routeNestedParams } from "./nested-params.js";
import { OrdinalEncoder } from "./ordinal-encoder.js";
import { StandardScaler } from "./standard-scaler.js";

/** One entry: a name, a transformer (or a Pipeline of transformers), and the columns it owns. */
export type ColumnTransformerEntry = readonly [
  name: string,
  transformer: AnyEstimator,
  columns: readonly string[],
];

/** Params of {@link ColumnTransformer}. */
export interface ColumnTransformerParams {
  /** Entries applied to their columns; outputs are concatenated in entry order. */
  readonly transformers: readonly ColumnTransformerEntry[];
  /** Columns no entry owns: dropped, or passed through after the transformed ones. */
  readonly remainder: "drop" | "passthrough";
}

const DEFAULTS: ColumnTransformerParams = { transformers: [], remainder: "drop" };
const SCHEMA = z.strictObject({
  transformers: z.array(
    z.tuple([
      z.string().min(1),
      z.custom<AnyEstimator>(
        (v) => v instanceof Estimator && v.tags.kind === "transformer",
        "must be a transformer",
      ),
      z.array(z.string()),
    ]),
  ),
  remainder: z.enum(["drop", "passthrough"]),
}) as unknown as z.ZodType<ColumnTransformerParams>;

/** Learned state of {@link ColumnTransformer}. */
export interface ColumnTransformerState {
  /** Every input column used (owned or passed through), in input order. */
  readonly inputColumns: string[];
  /** Columns passed through unchanged. */
  readonly passthrough: string[];
  /** Output column names, in output order. */
  readonly outputColumns: string[];
}

/**
 * Applies one transformer per group of columns (scikit-learn's ColumnTransformer) and
 * concatenates the outputs, turning a raw table into model-ready numeric columns.
 * @example
 * const ct = new ColumnTransformer({
 *   transformers: [["num", new StandardScaler(), ["x"]], ["cat", new OneHotEncoder(), ["c"]]],
 * });
 * ct.fit(tableFromArrays({ x: [1, 3], c: ["a", "b"] })).transform(tableFromArrays({ x: [2], c: ["b"] })); // x = [0], c_a = [0], c_b = [1]
 */
export class ColumnTransformer
  extends Estimator<ColumnTransformerParams, ColumnTransformerState>
  implements Transformer
{
  static override readonly typeName = "ColumnTransformer";
  static override readonly tags: EstimatorTags = {
    kind: "transformer",
    allowNaN: true,
    stochastic: false,
    input: "mixed",
  };
  static override testParams(): object[] {
    return [
      {
        transformers: [
          ["scale", new StandardScaler(), ["a", "b"]],
          ["codes", new OrdinalEncoder(), ["color"]],
        ],
      },
    ];
  }

  constructor(params: Partial<ColumnTransformerParams> = {}) {
    super(DEFAULTS, params, SCHEMA);
  }

  /** Routes `entry__param` keys to the entry's transformer. */
  override setParams(params: Partial<ColumnTransformerParams> & Record<string, unknown>): this {
    const { own, nested } = routeNestedParams(params);
    for (const [name, sub] of nested) {
      const entry = this.getParams().transformers.find((e) => e[0] === name);
      if (!entry) throw invalidParam(`ColumnTransformer has no entry named '${name}'`);
      entry[1].setParams(sub);
    }
    return super.setParams(own as Partial<ColumnTransformerParams>);
  }

  /** Fits each entry on its columns. */
  fit(table: Table): this {
    this.#fit(table);
    return this;
  }

  /** Transforms each group and concatenates the outputs (then the passthrough columns). */
  transform(table: Table): Table {
    const { passthrough } = this.assertFitted();
    return this.#concat(
      table,
      (t, cols) => (t as unknown as Transformer).transform(selectColumns(table, cols)),
      passthrough,
    );
  }

  /** Fits and transforms in one pass (each entry transforms the data it was fitted on). */
  fitTransform(table: Table): Table {
    return this.#fit(table);
  }

  #fit(table: Table): Table {
    const p = this.validParams();
    checkNonEmpty(table, this.typeName);
    const names = new Set<string>();
    for (const [name, , cols] of p.transformers) {
      if (names.has(name) || name.includes("__")) {
        throw invalidParam(`ColumnTransformer entry name '${name}' must be unique and must not contain '__'`);
      }
      names.add(name);
      for (const c of cols) getColumn(table, c);
    }
    const owned = new Set(p.transformers.flatMap(([, , cols]) => cols));
    const passthrough =
      p.remainder === "passthrough" ? table.columns.map((c) => c.name).filter((n) => !owned.has(n)) : [];
    const out = this.#concat(
      table,
      (t, cols) => {
        const sub = selectColumns(table, cols);
        const fitT = (t as unknown as { fitTransform?: (x: Table) => Table }).fitTransform;
        return fitT ? fitT.call(t, sub) : (t as unknown as Transformer).fit(sub).transform(sub);
      },
      passthrough,
    );
    const used = new Set([...owned, ...passthrough]);
    this.fitted_ = {
      inputColumns: table.columns.map((c) => c.name).filter((n) => used.has(n)),
      passthrough,
      outputColumns: out.columns.map((c) => c.name),
    };
    return out;
  }

  #concat(
    table: Table,
    apply: (t: AnyEstimator, cols: string[]) => Table,
    passthrough: readonly string[],
  ): Table {
    const columns: TypedColumn[] = [];
    for (const [, t, cols] of this.getParams().transformers) {
      if (cols.length === 0) continue;
      columns.push(...apply(t, [...cols]).columns);
    }
    columns.push(...passthrough.map((n) => getColumn(table, n)));
    const seen = new Set<string>();
    for (const c of columns) {
      if (seen.has(c.name)) {
        throw invalidParam(
          `ColumnTransformer produced the column '${c.name}' twice: give each column to one entry`,
        );
      }
      seen.add(c.name);
    }
    return { rowCount: table.rowCount, columns };
  }
}

registerEstimators(ColumnTransformer);
