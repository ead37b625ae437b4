/**
 * Per-search tables of what may be filtered and ordered on, following MLflow's SearchUtils,
 * SearchExperimentsUtils, SearchModelUtils and SearchModelVersionUtils. The parser is generic;
 * everything search-specific lives here as data.
 */
import type { ComparisonOp, FilterEntity } from "./filter-ast.js";

/** What a key compares against and with which operators. */
export interface KeySpec {
  type: "number" | "string";
  ops: readonly ComparisonOp[];
}

/** A fixed key (an attribute or dataset field): its canonical name and how it compares. */
export interface FixedKey extends KeySpec {
  canonical: string;
}

/** Everything one kind of search accepts. */
export interface SearchGrammar {
  /** Noun used in messages, e.g. `run`. */
  subject: string;
  /** Entity prefix as written (`metrics`, `attr`, ...) → entity. */
  prefixes: Readonly<Record<string, FilterEntity>>;
  /** Entities whose keys are free-form (metrics, params, tags) and how they compare. */
  freeKeys: Partial<Record<FilterEntity, KeySpec>>;
  /** Entities with a fixed set of keys; aliases map to the same canonical name. */
  fixedKeys: Partial<Record<FilterEntity, Readonly<Record<string, FixedKey>>>>;
}

/** What order_by accepts for one kind of search. */
export interface OrderGrammar {
  subject: string;
  prefixes: Readonly<Record<string, FilterEntity>>;
  /** Entities ordered by any key. */
  freeEntities: readonly FilterEntity[];
  /** Attribute keys (as written) → canonical name. */
  attributes: Readonly<Record<string, string>>;
}

const NUMERIC_OPS = ["=", "!=", "<", "<=", ">", ">="] as const;
const STRING_OPS = ["=", "!=", "LIKE", "ILIKE"] as const;
const LIST_OPS = [...STRING_OPS, "IN", "NOT IN"] as const;

const NUMBER: KeySpec = { type: "number", ops: NUMERIC_OPS };
const STRING: KeySpec = { type: "string", ops: STRING_OPS };
const STRING_OR_LIST: KeySpec = { type: "string", ops: LIST_OPS };

/** Fixed keys from `{written: [canonical, spec]}`. */
function keys(table: Record<string, [string, KeySpec]>): Record<string, FixedKey> {
  return Object.fromEntries(
    Object.entries(table).map(([written, [canonical, spec]]) => [written, { canonical, ...spec }]),
  );
}

/** MLflow's entity prefixes for run search (`_VALID_IDENTIFIERS`). */
const RUN_PREFIXES: Record<string, FilterEntity> = {
  metric: "metric",
  metrics: "metric",
  param: "param",
  params: "param",
  parameter: "param",
  parameters: "param",
  tag: "tag",
  tags: "tag",
  attribute: "attribute",
  attributes: "attribute",
  attr: "attribute",
  run: "attribute",
  dataset: "dataset",
  datasets: "dataset",
};

/**
 * Prefixes for experiment and registry search. MLflow accepts `attribute`, `tag` and `tags`;
 * `attributes` and `attr` are accepted too because Keel's docs write `attributes.name`.
 */
const ATTR_TAG_PREFIXES: Record<string, FilterEntity> = {
  attribute: "attribute",
  attributes: "attribute",
  attr: "attribute",
  tag: "tag",
  tags: "tag",
};

const ATTR_PREFIXES: Record<string, FilterEntity> = {
  attribute: "attribute",
  attributes: "attribute",
  attr: "attribute",
};

/** Run attributes (`RunInfo.get_searchable_attributes()` plus MLflow's aliases). */
const RUN_ATTRIBUTES = keys({
  run_id: ["run_id", STRING_OR_LIST],
  run_name: ["run_name", STRING],
  "run name": ["run_name", STRING],
  "Run name": ["run_name", STRING],
  "Run Name": ["run_name", STRING],
  status: ["status", STRING],
  user_id: ["user_id", STRING],
  artifact_uri: ["artifact_uri", STRING],
  start_time: ["start_time", NUMBER],
  end_time: ["end_time", NUMBER],
  created: ["start_time", NUMBER],
  Created: ["start_time", NUMBER],
});

/** Grammar of `searchRuns` filters. */
export const RUN_FILTER: SearchGrammar = {
  subject: "run",
  prefixes: RUN_PREFIXES,
  freeKeys: { metric: NUMBER, param: STRING, tag: STRING },
  fixedKeys: {
    attribute: RUN_ATTRIBUTES,
    dataset: keys({
      name: ["name", STRING_OR_LIST],
      digest: ["digest", STRING_OR_LIST],
      context: ["context", STRING_OR_LIST],
    }),
  },
};

/** Grammar of `searchExperiments` filters. */
export const EXPERIMENT_FILTER: SearchGrammar = {
  subject: "experiment",
  prefixes: ATTR_TAG_PREFIXES,
  freeKeys: { tag: STRING },
  fixedKeys: {
    attribute: keys({
      name: ["name", STRING],
      creation_time: ["creation_time", NUMBER],
      last_update_time: ["last_update_time", NUMBER],
    }),
  },
};

/** Grammar of `searchRegisteredModels` filters. */
export const MODEL_FILTER: SearchGrammar = {
  subject: "registered model",
  prefixes: ATTR_TAG_PREFIXES,
  freeKeys: { tag: STRING },
  fixedKeys: { attribute: keys({ name: ["name", STRING] }) },
};

/** Grammar of `searchModelVersions` filters; MLflow allows `IN` (not `NOT IN`) on run_id here. */
export const MODEL_VERSION_FILTER: SearchGrammar = {
  subject: "model version",
  prefixes: ATTR_TAG_PREFIXES,
  freeKeys: { tag: STRING },
  fixedKeys: {
    attribute: keys({
      name: ["name", STRING],
      run_id: ["run_id", { type: "string", ops: [...STRING_OPS, "IN"] }],
      source_path: ["source_path", STRING],
      version_number: ["version_number", NUMBER],
    }),
  },
};

/** Order-by attribute table from a list of canonical names plus aliases. */
function orderKeys(names: readonly string[], aliases: Record<string, string> = {}): Record<string, string> {
  return { ...Object.fromEntries(names.map((n) => [n, n])), ...aliases };
}

/** order_by for runs: metrics, params, tags, and `RunInfo.get_orderable_attributes()` plus `created`. */
export const RUN_ORDER: OrderGrammar = {
  subject: "runs",
  prefixes: Object.fromEntries(Object.entries(RUN_PREFIXES).filter(([, e]) => e !== "dataset")),
  freeEntities: ["metric", "param", "tag"],
  attributes: orderKeys(
    ["run_id", "run_name", "status", "user_id", "artifact_uri", "start_time", "end_time"],
    {
      created: "start_time",
      Created: "start_time",
    },
  ),
};

/** order_by for experiments (attributes only, as MLflow). */
export const EXPERIMENT_ORDER: OrderGrammar = {
  subject: "experiments",
  prefixes: ATTR_PREFIXES,
  freeEntities: [],
  attributes: orderKeys(["name", "experiment_id", "creation_time", "last_update_time"]),
};

/** order_by for registered models. */
export const MODEL_ORDER: OrderGrammar = {
  subject: "registered models",
  prefixes: ATTR_PREFIXES,
  freeEntities: [],
  attributes: orderKeys(["name", "creation_timestamp", "last_updated_timestamp"]),
};

/** order_by for model versions. */
export const MODEL_VERSION_ORDER: OrderGrammar = {
  subject: "model versions",
  prefixes: ATTR_PREFIXES,
  freeEntities: [],
  attributes: orderKeys(["name", "version_number", "creation_timestamp", "last_updated_timestamp"]),
};
