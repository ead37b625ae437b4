/**
 * One stage definition (a map of keel.yaml, or a generated copy of a `do:`/`matrix` template)
 * turned into a {@link Stage}: keys checked, `${...}` resolved, paths made root-relative,
 * params read, `uses:` turned into keel arguments. Every error names the key and line.
 */
import { posix } from "node:path";
import {
  BuiltinArgsError,
  type BuiltinInvocation,
  builtinInvocation,
  type CommandCatalog,
} from "./builtin-steps.js";
import {
  InterpolationError,
  type ParamUse,
  resolveString,
  type TemplateSite,
  type VarContext,
} from "./interpolation.js";
import { type ParamsFiles, paramValue, topLevelKeys } from "./params-files.js";
import {
  DEFAULT_PARAMS_FILE,
  OUTPUT_KINDS,
  OUTPUT_OPTION_KEYS,
  type OutputKind,
  STAGE_KEYS,
} from "./spec-keys.js";
import type { Dep, Output, Stage, StageCommand, StageParam } from "./stage.js";
import { stagePath } from "./stage-paths.js";
import { asMap } from "./vars-context.js";
import type { YamlPath, YamlSource } from "./yaml-source.js";

/** What building a stage needs. */
export interface StageBuildContext {
  readonly source: YamlSource;
  readonly vars: VarContext;
  readonly params: ParamsFiles;
  readonly catalog: CommandCatalog | undefined;
}

/** Build one stage from its definition `def`, found at `at` in keel.yaml. */
export async function buildStage(
  ctx: StageBuildContext,
  name: string,
  group: string | null,
  def: unknown,
  at: YamlPath,
): Promise<Stage> {
  const { source } = ctx;
  const body = asMap(def);
  if (body === null)
    throw source.error(at, `stage '${name}' must be a map with cmd: (or uses:), deps:, outs: ...`);
  for (const key of Object.keys(body)) {
    if (!(STAGE_KEYS as readonly string[]).includes(key)) {
      throw source.error(
        [...at, key],
        `unknown key '${key}' in stage '${name}'; allowed: ${STAGE_KEYS.join(", ")}`,
      );
    }
  }
  const used: ParamUse[] = [];
  const resolve = (value: unknown, path: YamlPath, site: TemplateSite = "value"): unknown =>
    resolveDeep(value, ctx.vars, path, site, source, used);

  const wdir = resolveWdir(resolve(body.wdir ?? ".", [...at, "wdir"]), source, [...at, "wdir"]);
  const outputs = OUTPUT_KINDS.flatMap((kind) =>
    parseOutputs(resolve(body[kind], [...at, kind]), kind, wdir, source, [...at, kind]),
  );
  const deps = pathList(resolve(body.deps, [...at, "deps"]), source, [...at, "deps"]).map(
    ([p, path]): Dep => ({ path: checkedPath(wdir, p, source, path), at: path }),
  );
  const command = buildCommand(ctx, name, body, at, outputs, resolve);
  const declared = await declaredParams(ctx, resolve(body.params, [...at, "params"]), wdir, [
    ...at,
    "params",
  ]);
  const desc = resolve(body.desc ?? null, [...at, "desc"]);
  const always = body.always_changed ?? false;
  if (typeof always !== "boolean")
    throw source.error([...at, "always_changed"], "always_changed must be true or false");
  const frozen = body.frozen ?? false;
  if (typeof frozen !== "boolean") throw source.error([...at, "frozen"], "frozen must be true or false");
  return Object.freeze({
    name,
    group,
    desc: desc === null ? null : String(desc),
    command,
    wdir,
    deps,
    params: mergeParams(declared, await trackedUses(ctx, used)),
    outputs,
    alwaysChanged: always,
    frozen,
    at,
  });
}

/** Resolve every string inside a value; errors point at the string's key. */
function resolveDeep(
  value: unknown,
  vars: VarContext,
  path: YamlPath,
  site: TemplateSite,
  source: YamlSource,
  used: ParamUse[],
): unknown {
  if (typeof value === "string") {
    try {
      const r = resolveString(value, vars, site);
      used.push(...r.used);
      return r.value;
    } catch (e) {
      if (e instanceof InterpolationError) throw source.error(path, e.message);
      throw e;
    }
  }
  if (Array.isArray(value))
    return value.map((v, i) => resolveDeep(v, vars, [...path, i], site, source, used));
  const map = asMap(value);
  if (map === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(map)) {
    // Keys are interpolated too (`outs: [{"${dir}/model.bin": {cache: false}}]`).
    const key = String(resolveDeep(k, vars, path, "value", source, used));
    out[key] = resolveDeep(v, vars, [...path, k], site, source, used);
  }
  return out;
}

function resolveWdir(value: unknown, source: YamlSource, at: YamlPath): string {
  if (typeof value !== "string" || value.trim() === "")
    throw source.error(at, "wdir must be a folder path relative to the project root");
  if (value === "." || value === "./") return ".";
  return checkedPath(".", value, source, at);
}

function checkedPath(wdir: string, p: string, source: YamlSource, at: YamlPath): string {
  try {
    return stagePath(wdir, p);
  } catch (e) {
    throw source.error(at, (e as Error).message);
  }
}

/** A list of path strings (a single string is a list of one). */
function pathList(value: unknown, source: YamlSource, at: YamlPath): [string, YamlPath][] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((p, i) => {
    const path = Array.isArray(value) ? [...at, i] : at;
    if (typeof p !== "string" && typeof p !== "number")
      throw source.error(path, "expected a file or folder path");
    return [String(p), path];
  });
}

/** `outs:` entries: `path` or `{path: {cache: false, persist: true}}`. */
function parseOutputs(
  value: unknown,
  kind: OutputKind,
  wdir: string,
  source: YamlSource,
  at: YamlPath,
): Output[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw source.error(at, `${kind} must be a list of paths (or {path: {cache: false}} entries)`);
  return value.flatMap((entry, i): Output[] => {
    const path = [...at, i];
    if (typeof entry === "string")
      return [{ path: checkedPath(wdir, entry, source, path), kind, cache: true, persist: false, at: path }];
    const map = asMap(entry);
    if (map === null || Object.keys(map).length !== 1) {
      throw source.error(
        path,
        `each ${kind} entry is a path, or a map of one path to its options ({model.bin: {cache: false}})`,
      );
    }
    const [p, options] = Object.entries(map)[0] as [string, unknown];
    const opts = asMap(options ?? {});
    if (opts === null)
      throw source.error([...path, p], `options of '${p}' must be a map such as {cache: false}`);
    for (const k of Object.keys(opts)) {
      if (!(OUTPUT_OPTION_KEYS as readonly string[]).includes(k)) {
        throw source.error(
          [...path, p, k],
          `unknown option '${k}' of '${p}'; allowed: ${OUTPUT_OPTION_KEYS.join(", ")}`,
        );
      }
    }
    for (const flag of OUTPUT_OPTION_KEYS) {
      if (opts[flag] !== undefined && typeof opts[flag] !== "boolean")
        throw source.error([...path, p, flag], `${flag} must be true or false`);
    }
    const out = { path: checkedPath(wdir, p, source, path), kind, at: path };
    return [{ ...out, cache: opts.cache !== false, persist: opts.persist === true }];
  });
}

/** `cmd:` or `uses:` + `with:`. */
function buildCommand(
  ctx: StageBuildContext,
  name: string,
  body: Record<string, unknown>,
  at: YamlPath,
  outputs: readonly Output[],
  resolve: (value: unknown, path: YamlPath, site?: TemplateSite) => unknown,
): StageCommand {
  const { source } = ctx;
  const hasCmd = body.cmd !== undefined;
  const hasUses = body.uses !== undefined;
  if (hasCmd === hasUses) {
    throw source.error(
      at,
      hasCmd
        ? `stage '${name}' has both cmd: and uses:; keep one`
        : `stage '${name}' needs cmd: (a shell command) or uses: (a built-in keel step)`,
    );
  }
  if (!hasUses && body.with !== undefined)
    throw source.error([...at, "with"], "with: goes with uses:; put arguments of a shell command in cmd:");
  if (hasCmd) {
    const cmd = resolve(body.cmd, [...at, "cmd"], "cmd");
    const ok =
      typeof cmd === "string"
        ? cmd.trim() !== ""
        : Array.isArray(cmd) && cmd.length > 0 && cmd.every((c) => typeof c === "string" && c.trim() !== "");
    if (!ok) throw source.error([...at, "cmd"], "cmd must be a non-empty shell command or a list of them");
    return { kind: "shell", cmd: Object.freeze(cmd as string | string[]) };
  }
  const uses = resolve(body.uses, [...at, "uses"]);
  if (typeof uses !== "string")
    throw source.error([...at, "uses"], "uses must name a built-in step such as data.split");
  const withArgs = asMap(resolve(body.with ?? {}, [...at, "with"]));
  if (withArgs === null)
    throw source.error([...at, "with"], "with: must be a map of argument names to values");
  if (ctx.catalog === undefined)
    throw source.error(
      [...at, "uses"],
      "uses: stages need the keel command tree; run them through the keel CLI",
    );
  let invocation: BuiltinInvocation;
  try {
    invocation = builtinInvocation(uses, withArgs, ctx.catalog);
  } catch (e) {
    if (!(e instanceof BuiltinArgsError)) throw e;
    throw source.error(
      e.key === undefined
        ? [...at, e.message.startsWith("unknown built-in") ? "uses" : "with"]
        : [...at, "with", e.key],
      e.message,
    );
  }
  const metrics = outputs.filter((o) => o.kind === "metrics");
  if (metrics.length > 1)
    throw source.error(
      [...at, "metrics"],
      `a uses: stage writes one metrics file (the command's --json output); stage '${name}' lists ${metrics.length}`,
    );
  if (metrics.length === 1 && !invocation.hasJson)
    throw source.error(
      [...at, "metrics"],
      `keel ${invocation.argv.join(" ")} has no --json output to write to a metrics file; drop metrics:`,
    );
  return {
    kind: "builtin",
    uses,
    argv: Object.freeze([...invocation.argv]),
    stdoutTo: metrics[0]?.path ?? null,
  };
}

/** `params:` entries: `key` (in `<wdir>/params.yaml`) or `{file.yaml: [keys]}` (null: every key). */
async function declaredParams(
  ctx: StageBuildContext,
  value: unknown,
  wdir: string,
  at: YamlPath,
): Promise<StageParam[]> {
  const { source } = ctx;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw source.error(at, "params must be a list of keys of params.yaml, or {file.yaml: [keys]} entries");
  const out: StageParam[] = [];
  for (let i = 0; i < value.length; i++) {
    const entry = value[i];
    const path = [...at, i];
    if (typeof entry === "string") {
      out.push(await readParam(ctx, posix.join(wdir, DEFAULT_PARAMS_FILE), entry, path));
      continue;
    }
    const map = asMap(entry);
    if (map === null) throw source.error(path, "expected a key of params.yaml or {file.yaml: [keys]}");
    for (const [file, keys] of Object.entries(map)) {
      const rel = checkedPath(wdir, file, source, [...path, file]);
      if (keys === null || keys === undefined) {
        const loaded = await loadParams(ctx, rel, [...path, file]);
        for (const k of topLevelKeys(loaded))
          out.push({ file: rel, key: k, value: paramValue(loaded, k).value });
        continue;
      }
      if (!Array.isArray(keys) || !keys.every((k) => typeof k === "string")) {
        throw source.error(
          [...path, file],
          `keys of ${file} must be a list of names (or nothing, for every key)`,
        );
      }
      for (const k of keys as string[]) out.push(await readParam(ctx, rel, k, [...path, file]));
    }
  }
  return out;
}

async function loadParams(ctx: StageBuildContext, file: string, at: YamlPath): Promise<unknown> {
  const loaded = await ctx.params.load(file).catch((e: Error) => {
    throw e.name === "PipelineSpecError" ? e : ctx.source.error(at, e.message);
  });
  if (loaded === null)
    throw ctx.source.error(at, `params file '${file}' does not exist; create it or fix the name`);
  return loaded.value;
}

async function readParam(
  ctx: StageBuildContext,
  file: string,
  key: string,
  at: YamlPath,
): Promise<StageParam> {
  const root = await loadParams(ctx, file, at);
  const r = paramValue(root, key);
  if (!r.found) {
    const keys = topLevelKeys(root);
    throw ctx.source.error(
      at,
      `unknown param '${key}': ${file} has no such key${keys.length ? ` (top-level keys: ${keys.join(", ")})` : ""}`,
    );
  }
  return { file, key, value: r.value };
}

/** Values of params used through `${...}`, tracked like listed ones. */
async function trackedUses(ctx: StageBuildContext, used: readonly ParamUse[]): Promise<StageParam[]> {
  const out: StageParam[] = [];
  for (const u of used) {
    const loaded = await ctx.params.load(u.file);
    out.push({ file: u.file, key: u.key, value: paramValue(loaded?.value, u.key).value });
  }
  return out;
}

/** Listed params first, then used ones; each (file, key) once. */
function mergeParams(...lists: StageParam[][]): StageParam[] {
  const seen = new Map<string, StageParam>();
  for (const p of lists.flat()) {
    const id = `${p.file}\0${p.key}`;
    if (!seen.has(id)) seen.set(id, p);
  }
  return [...seen.values()];
}
