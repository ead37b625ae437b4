// search/space/types.ts
/** A hyperparameter value. */
export type ParamValue = number | string | boolean;
/** How one hyperparameter is drawn. `int` bounds are inclusive; `log` draws on a log scale. */
export type Distribution =
  | { readonly kind: "uniform"; readonly low: number; readonly high: number; readonly log?: boolean }
  | {
      readonly kind: "int";
      readonly low: number;
      readonly high: number;
      readonly log?: boolean;
      readonly step?: number;
    }
  | { readonly kind: "choice"; readonly values: readonly ParamValue[] };
/** One dimension; `when` makes it conditional: active only when each named param takes one of the listed values. */
export interface ParamSpec {
  /** Param name (in a combined space: `model.param`). */
  readonly name: string;
  /** How values are drawn. */
  readonly dist: Distribution;
  /** Parent param name -> values that activate this param (all parents must match). */
  readonly when?: Readonly<Record<string, readonly ParamValue[]>>;
}
/** A (possibly conditional, tree-structured) search space; params listed parents-before-children. */
export interface SearchSpace {
  /** The dimensions, parents before children. */
  readonly params: readonly ParamSpec[];
}
/** One point: values of the ACTIVE params only. */
export type Config = Readonly<Record<string, ParamValue>>;
