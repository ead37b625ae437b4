/**
 * Loading keel.yaml's `stages:` into {@link Stage}s: variables (params.yaml, `vars:`), generator
 * stages (`foreach:` + `do:`, `matrix:`) expanded into `name@item` stages, then each stage
 * built and checked. Graph checks (cycles, overlapping outs, missing deps) are in pipeline-graph.ts.
 */

import { buildStage, type StageBuildContext } from "./build-stage.js";
import type { CommandCatalog } from "./builtin-steps.js";
import { InterpolationError, resolveString, type VarContext } from "./interpolation.js";
import { ParamsFiles } from "./params-files.js";
import type { SourceReader } from "./source-reader.js";
import { GENERATED_SEPARATOR, LOOP_VARS, PIPELINE_FILE, STAGE_NAME, TOP_KEYS } from "./spec-keys.js";
import type { Stage } from "./stage.js";
import { asMap, buildVarContext } from "./vars-context.js";
import { parseYamlSource, type YamlPath, type YamlSource } from "./yaml-source.js";

/** Options of {@link loadPipeline}. */
export interface LoadOptions {
  /** Where keel.yaml and params files are read (the workspace, or a git revision). */
  readonly reader: SourceReader;
  /** The keel command tree, for `uses:` stages (the CLI passes it). */
  readonly catalog?: CommandCatalog | undefined;
}

/** A loaded pipeline. */
export interface Pipeline {
  /** Stages in keel.yaml order, generated ones in item order. */
  readonly stages: readonly Stage[];
  /** Generator name -> the stages it produced (so `keel run train` runs every `train@...`). */
  readonly groups: ReadonlyMap<string, readonly string[]>;
  /** keel.yaml as read, or null when there is none. */
  readonly source: YamlSource | null;
}

/** One copy of a stage template. */
interface Expansion {
  name: string;
  def: unknown;
  at: YamlPath;
  locals?: Record<string, unknown>;
}

/**
 * Load the pipeline of one version of the project.
 * @throws PipelineSpecError naming file, key path and line of the first problem.
 */
export async function loadPipeline(options: LoadOptions): Promise<Pipeline> {
  const text = await options.reader.read(PIPELINE_FILE);
  if (text === null) return { stages: [], groups: new Map(), source: null };
  const source = parseYamlSource(PIPELINE_FILE, text);
  const raw = asMap(source.value)?.[TOP_KEYS.stages];
  if (raw === undefined || raw === null) return { stages: [], groups: new Map(), source };
  const defs = asMap(raw);
  if (defs === null)
    throw source.error([TOP_KEYS.stages], "stages must be a map of stage names to definitions");
  const params = new ParamsFiles(options.reader);
  const vars = await buildVarContext(source, params);
  const ctx: StageBuildContext = { source, vars, params, catalog: options.catalog };
  const stages: Stage[] = [];
  const groups = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const [name, def] of Object.entries(defs)) {
    const at = [TOP_KEYS.stages, name];
    if (!STAGE_NAME.test(name)) {
      throw source.error(
        at,
        `invalid stage name '${name}': use letters, digits, '_', '.', '-' (starting with a letter or digit); '@' is reserved for foreach stages`,
      );
    }
    const expansions = expand(source, vars, name, def, at);
    if (expansions === null) {
      stages.push(await buildStage(ctx, name, null, def, at));
      seen.add(name);
      continue;
    }
    const names: string[] = [];
    for (const x of expansions) {
      if (seen.has(x.name))
        throw source.error(at, `the generator produces stage '${x.name}' twice; make its items unique`);
      seen.add(x.name);
      names.push(x.name);
      const local = x.locals === undefined ? ctx : { ...ctx, vars: { ...vars, locals: x.locals } };
      stages.push(await buildStage(local, x.name, name, x.def, x.at));
    }
    groups.set(name, names);
  }
  return { stages, groups, source };
}

/** The copies of a `foreach`/`matrix` stage, or null for a plain stage. */
function expand(
  source: YamlSource,
  vars: VarContext,
  name: string,
  def: unknown,
  at: YamlPath,
): Expansion[] | null {
  const body = asMap(def);
  if (body === null) return null;
  if (body.foreach !== undefined) {
    const extra = Object.keys(body).filter((k) => k !== "foreach" && k !== "do");
    if (extra.length > 0)
      throw source.error(
        [...at, extra[0] as string],
        `a foreach stage has only foreach: and do:; move '${extra[0]}' into do:`,
      );
    if (body.do === undefined) throw source.error(at, `stage '${name}' has foreach: but no do: template`);
    return foreachItems(source, vars, body.foreach, [...at, "foreach"]).map(([suffix, item, key]) => ({
      name: `${name}${GENERATED_SEPARATOR}${suffix}`,
      def: body.do,
      at: [...at, "do"],
      locals:
        key === undefined ? { [LOOP_VARS.item]: item } : { [LOOP_VARS.item]: item, [LOOP_VARS.key]: key },
    }));
  }
  if (body.do !== undefined)
    throw source.error([...at, "do"], `do: needs foreach: (a list or map to loop over) in stage '${name}'`);
  if (body.matrix === undefined) return null;
  const { matrix, ...rest } = body;
  return matrixItems(source, vars, matrix, [...at, "matrix"]).map(([suffix, item]) => ({
    name: `${name}${GENERATED_SEPARATOR}${suffix}`,
    def: rest,
    at,
    locals: { [LOOP_VARS.item]: item, [LOOP_VARS.key]: suffix },
  }));
}

/** A generator value, resolving a whole-string `${var}`. */
function generatorValue(source: YamlSource, vars: VarContext, value: unknown, at: YamlPath): unknown {
  if (typeof value !== "string") return value;
  try {
    return resolveString(value, vars).value;
  } catch (e) {
    if (e instanceof InterpolationError) throw source.error(at, e.message);
    throw e;
  }
}

/** `[suffix, item, key]` per item: list items by value (or index for maps/lists), map items by key. */
function foreachItems(
  source: YamlSource,
  vars: VarContext,
  value: unknown,
  at: YamlPath,
): [string, unknown, string | undefined][] {
  const v = generatorValue(source, vars, value, at);
  if (Array.isArray(v)) {
    if (v.length === 0) throw source.error(at, "foreach: has no items");
    return v.map((item, i) => [
      checkedSuffix(source, isScalar(item) ? String(item) : String(i), at),
      item,
      undefined,
    ]);
  }
  const map = asMap(v);
  if (map === null || Object.keys(map).length === 0)
    throw source.error(at, "foreach: must be a non-empty list or map, or a variable holding one");
  return Object.entries(map).map(([k, item]) => [checkedSuffix(source, k, at), item, k]);
}

/** The cartesian product of `matrix:` lists, first key outermost; suffix `a-b`. */
function matrixItems(
  source: YamlSource,
  vars: VarContext,
  value: unknown,
  at: YamlPath,
): [string, Record<string, unknown>][] {
  const map = asMap(value);
  if (map === null || Object.keys(map).length === 0)
    throw source.error(at, "matrix: must map names to lists of values");
  let combos: [string[], Record<string, unknown>][] = [[[], {}]];
  for (const [k, raw] of Object.entries(map)) {
    const list = generatorValue(source, vars, raw, [...at, k]);
    if (!Array.isArray(list) || list.length === 0)
      throw source.error([...at, k], `matrix.${k} must be a non-empty list`);
    combos = combos.flatMap(([parts, item]) =>
      list.map((x, i): [string[], Record<string, unknown>] => [
        [...parts, isScalar(x) ? String(x) : `${k}${i}`],
        { ...item, [k]: x },
      ]),
    );
  }
  return combos.map(([parts, item]) => [checkedSuffix(source, parts.join("-"), at), item]);
}

function isScalar(v: unknown): boolean {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

function checkedSuffix(source: YamlSource, suffix: string, at: YamlPath): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(suffix)) {
    throw source.error(
      at,
      `item '${suffix}' cannot be part of a stage name (letters, digits, '_', '.', '-'); loop over a map instead ({name: value})`,
    );
  }
  return suffix;
}
