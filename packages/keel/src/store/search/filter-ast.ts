/**
 * The parsed form of MLflow's search filters and order_by clauses. Parsers live beside this file
 * (`filter-parser.ts`); SQL builders in the store translate these to Kysely expressions.
 */

/** What a filter key refers to. `dataset` covers `datasets.name|digest|context`. */
export type FilterEntity = "metric" | "param" | "tag" | "attribute" | "dataset";

/** Comparison operators of the grammar. */
export type ComparisonOp = "=" | "!=" | "<" | "<=" | ">" | ">=" | "LIKE" | "ILIKE" | "IN" | "NOT IN";

/** One `entity.key OP value` clause; a filter is an AND of these. */
export interface Comparison {
  entity: FilterEntity;
  /** Key without the entity prefix and without quotes, e.g. `model class`; attributes in snake_case. */
  key: string;
  op: ComparisonOp;
  /** A number for numeric comparisons, a string for string ones, a list for IN / NOT IN. */
  value: number | string | string[];
}

/** One order_by clause. */
export interface OrderBy {
  entity: FilterEntity;
  key: string;
  ascending: boolean;
}
