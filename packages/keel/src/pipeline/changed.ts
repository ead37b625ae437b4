/**
 * Why a stage must run (STYLE §10, DVC's `Stage.changed`): pure functions from a stage, its
 * keel.lock entry and what the workspace holds now to a list of reasons, cheapest checks
 * first: never run, command, params, deps, then outputs. No reasons: the stage is up to date.
 */
import { type LockedFile, type LockedStage, stableJson } from "./lockfile.js";
import { commandText, type Stage } from "./stage.js";

/** One reason a stage would run (or an output would be restored). */
export type Reason =
  | { readonly kind: "never-run" }
  | { readonly kind: "forced" }
  | { readonly kind: "always-changed" }
  /** Why a stage is skipped whatever changed. */
  | { readonly kind: "frozen" }
  | { readonly kind: "command"; readonly old: string; readonly new: string }
  | {
      readonly kind: "param";
      readonly file: string;
      readonly key: string;
      readonly change: "added" | "removed" | "modified";
      readonly old?: unknown;
      readonly new?: unknown;
    }
  | {
      readonly kind: "dep";
      readonly path: string;
      readonly change: "added" | "removed" | "modified" | "missing";
    }
  | {
      readonly kind: "out";
      readonly path: string;
      readonly change: "added" | "removed" | "missing" | "modified";
      /** The recorded content is in the cache, so it can be put back without running. */
      readonly restorable: boolean;
    }
  | { readonly kind: "upstream"; readonly stage: string };

/** The definition and deps as they are now. */
export interface CurrentInputs {
  /** Dep path -> content (null: missing). */
  readonly deps: ReadonlyMap<string, LockedFile | null>;
}

/** The lock entry's command text, as compared: commands plus wdir. */
function lockedCommand(locked: LockedStage): string {
  return commandKey(locked.cmd, locked.wdir);
}

function commandKey(cmd: string | readonly string[], wdir: string): string {
  const text = typeof cmd === "string" ? cmd : cmd.join("\n");
  return wdir === "." ? text : `(in ${wdir}) ${text}`;
}

/**
 * Reasons found in the definition, params and deps (outputs apart: see {@link outputReasons}).
 * `locked` undefined means the stage never ran.
 */
export function inputReasons(stage: Stage, locked: LockedStage | undefined, now: CurrentInputs): Reason[] {
  if (locked === undefined) return [{ kind: "never-run" }];
  const reasons: Reason[] = [];
  const cmd = commandKey(commandText(stage.command), stage.wdir);
  if (cmd !== lockedCommand(locked)) reasons.push({ kind: "command", old: lockedCommand(locked), new: cmd });
  reasons.push(...paramReasons(stage, locked));
  const lockedDeps = new Map(locked.deps.map((d) => [d.path, d]));
  for (const dep of stage.deps) {
    const current = now.deps.get(dep.path) ?? null;
    const before = lockedDeps.get(dep.path);
    if (current === null) reasons.push({ kind: "dep", path: dep.path, change: "missing" });
    else if (before === undefined) reasons.push({ kind: "dep", path: dep.path, change: "added" });
    else if (before.hash.value !== current.hash.value || before.meta.isdir !== current.meta.isdir)
      reasons.push({ kind: "dep", path: dep.path, change: "modified" });
  }
  const listed = new Set(stage.deps.map((d) => d.path));
  for (const d of locked.deps)
    if (!listed.has(d.path)) reasons.push({ kind: "dep", path: d.path, change: "removed" });
  if (stage.alwaysChanged) reasons.push({ kind: "always-changed" });
  return reasons;
}

function paramReasons(stage: Stage, locked: LockedStage): Reason[] {
  const reasons: Reason[] = [];
  const seen = new Set<string>();
  for (const p of stage.params) {
    seen.add(`${p.file}\0${p.key}`);
    const values = locked.params[p.file];
    if (values === undefined || !Object.hasOwn(values, p.key)) {
      reasons.push({ kind: "param", file: p.file, key: p.key, change: "added", new: p.value });
    } else if (stableJson(values[p.key]) !== stableJson(p.value)) {
      reasons.push({
        kind: "param",
        file: p.file,
        key: p.key,
        change: "modified",
        old: values[p.key],
        new: p.value,
      });
    }
  }
  for (const [file, values] of Object.entries(locked.params)) {
    for (const [key, old] of Object.entries(values)) {
      if (!seen.has(`${file}\0${key}`)) reasons.push({ kind: "param", file, key, change: "removed", old });
    }
  }
  return reasons;
}

/**
 * Reasons found in the outputs: declared ones the lock lacks (or lists no more), and recorded
 * ones that are missing or modified in the workspace, each marked restorable or not.
 * @param now - output path -> content now (null: missing).
 * @param inCache - whether a recorded output's content is in the cache.
 */
export function outputReasons(
  stage: Stage,
  locked: LockedStage,
  now: ReadonlyMap<string, LockedFile | null>,
  inCache: (f: LockedFile) => boolean,
): Reason[] {
  const reasons: Reason[] = [];
  const lockedOuts = new Map(locked.outs.map((o) => [o.path, o]));
  for (const out of stage.outputs) {
    const before = lockedOuts.get(out.path);
    if (before === undefined) {
      reasons.push({ kind: "out", path: out.path, change: "added", restorable: false });
      continue;
    }
    const current = now.get(out.path) ?? null;
    if (
      current !== null &&
      current.hash.value === before.hash.value &&
      current.meta.isdir === before.meta.isdir
    )
      continue;
    const restorable = out.cache && before.cache && inCache(before);
    reasons.push({
      kind: "out",
      path: out.path,
      change: current === null ? "missing" : "modified",
      restorable,
    });
  }
  const declared = new Set(stage.outputs.map((o) => o.path));
  for (const o of locked.outs)
    if (!declared.has(o.path))
      reasons.push({ kind: "out", path: o.path, change: "removed", restorable: false });
  return reasons;
}

/** True when a reason means running the stage (not just restoring an output). */
export function needsRun(r: Reason): boolean {
  return r.kind !== "out" || !r.restorable;
}

/** A reason as `keel status` prints it. */
export function describeReason(r: Reason): string {
  switch (r.kind) {
    case "never-run":
      return "never run";
    case "forced":
      return "forced (--force)";
    case "always-changed":
      return "always_changed: true";
    case "frozen":
      return "frozen: true (not run, not checked)";
    case "command":
      return "changed command";
    case "param": {
      const key = r.file === "params.yaml" ? r.key : `${r.file}:${r.key}`;
      if (r.change === "added") return `new param ${key}: ${show(r.new)}`;
      if (r.change === "removed") return `removed param ${key} (was ${show(r.old)})`;
      return `changed param ${key}: ${show(r.old)} -> ${show(r.new)}`;
    }
    case "dep":
      return `${r.change === "modified" ? "changed" : r.change === "added" ? "new" : r.change} dep ${r.path}`;
    case "out": {
      const what = `${r.change === "added" ? "new" : r.change === "removed" ? "removed" : r.change} out ${r.path}`;
      return r.restorable ? `${what} (restorable from the cache)` : what;
    }
    case "upstream":
      return `upstream stage '${r.stage}' will run`;
  }
}

function show(v: unknown): string {
  return typeof v === "string" ? v : stableJson(v);
}
