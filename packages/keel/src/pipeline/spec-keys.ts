/**
 * Key names of keel.yaml's `stages:` section and of keel.lock, in one place (STYLE §9): the
 * loader, the validator, the lock writer and the docs all spell them from here.
 */

/** File holding the pipeline (its `stages:` and `vars:` keys). */
export const PIPELINE_FILE = "keel.yaml";

/** The lock file `keel run` writes next to keel.yaml (gc already keeps what it names). */
export { LOCK_FILE } from "../data/versioning/gc-cache.js";

/** The params file every stage reads by default (DVC's `params.yaml`). */
export const DEFAULT_PARAMS_FILE = "params.yaml";

/** Top-level keys of keel.yaml this module reads. */
export const TOP_KEYS = Object.freeze({ stages: "stages", vars: "vars" });

/** Keys a stage definition may have. */
export const STAGE_KEYS = [
  "cmd",
  "uses",
  "with",
  "wdir",
  "deps",
  "params",
  "outs",
  "metrics",
  "plots",
  "desc",
  "always_changed",
  "frozen",
] as const;

/** Keys of a generator stage: `foreach` (list or map) or `matrix`, plus the `do` template. */
export const GENERATOR_KEYS = ["foreach", "matrix", "do"] as const;

/** Keys an output entry (`outs`, `metrics`, `plots`) may carry in its `{path: {...}}` form. */
export const OUTPUT_OPTION_KEYS = ["cache", "persist"] as const;

/** The three kinds of stage outputs, named after their keel.yaml keys. */
export const OUTPUT_KINDS = ["outs", "metrics", "plots"] as const;
/** One of {@link OUTPUT_KINDS}. */
export type OutputKind = (typeof OUTPUT_KINDS)[number];

/** Names of the loop variables inside `do:` (DVC's). */
export const LOOP_VARS = Object.freeze({ item: "item", key: "key" });

/** Separator between a generator's name and an item's name: `train@gbdt`. */
export const GENERATED_SEPARATOR = "@";

/** Stage names as written in keel.yaml. */
export const STAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Keys of a keel.lock stage entry, in the order they are written. */
export const LOCK_STAGE_KEYS = ["cmd", "wdir", "deps", "params", "outs"] as const;

/** Version of the keel.lock layout. */
export const LOCK_SCHEMA_VERSION = "1.0";
