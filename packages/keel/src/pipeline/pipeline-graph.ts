/**
 * The stage graph: which stage's outputs feed which stage's deps, checked when it is built
 * (DVC's `check_circular_dependency`, `check_duplicated_outs`): no cycle (the cycle is printed),
 * no output written by two stages or lying inside another output, no stage reading its own
 * output. Stages come out in a stable topological order (keel.yaml order among equals).
 */
import { lstat } from "node:fs/promises";
import { join } from "node:path";
import { isMissing } from "../artifacts/fs-errors.js";
import { POINTER_SUFFIX } from "../data/versioning/pointer-file.js";
import { invalidParam } from "../errors.js";
import type { Pipeline } from "./load-pipeline.js";
import type { Output, Stage } from "./stage.js";
import { overlaps } from "./stage-paths.js";
import { formatPath, type YamlSource } from "./yaml-source.js";

/** Data flowing from one stage to another. */
export interface Edge {
  readonly from: string;
  readonly to: string;
  /** The dep paths of `to` that `from` writes. */
  readonly paths: readonly string[];
}

/** A checked stage graph. */
export interface PipelineGraph {
  /** Every stage, upstream before downstream. */
  readonly order: readonly Stage[];
  readonly byName: ReadonlyMap<string, Stage>;
  /** Stage -> edges from the stages it reads. */
  readonly upstream: ReadonlyMap<string, readonly Edge[]>;
  /** Stage -> the stages that read its outputs. */
  readonly downstream: ReadonlyMap<string, readonly string[]>;
  /** Generator name -> generated stage names. */
  readonly groups: ReadonlyMap<string, readonly string[]>;
  /** keel.yaml, for messages (null when there are no stages). */
  readonly source: YamlSource | null;
}

/**
 * Connect and check the stages.
 * @throws PipelineSpecError for overlapping outputs, a stage reading its own output, or a cycle.
 */
export function buildGraph(pipeline: Pipeline): PipelineGraph {
  const { stages, source } = pipeline;
  const fail = (stage: Stage, at: readonly (string | number)[], problem: string): Error =>
    source === null ? invalidParam(`stage '${stage.name}': ${problem}`) : source.error(at, problem);
  const outputs = stages.flatMap((s) => s.outputs.map((o) => ({ stage: s, out: o })));
  for (let i = 0; i < outputs.length; i++) {
    for (let j = i + 1; j < outputs.length; j++) {
      const a = outputs[i] as { stage: Stage; out: Output };
      const b = outputs[j] as { stage: Stage; out: Output };
      if (!overlaps(a.out.path, b.out.path)) continue;
      const how = a.out.path === b.out.path ? "is also written by" : `overlaps '${a.out.path}' of`;
      throw fail(
        b.stage,
        b.out.at,
        `output '${b.out.path}' ${how} stage '${a.stage.name}' (${formatPath(a.out.at)}); each file or folder has one producing stage and outputs cannot nest`,
      );
    }
  }
  const upstream = new Map<string, Edge[]>();
  const downstream = new Map<string, string[]>(stages.map((s) => [s.name, []]));
  for (const stage of stages) {
    const byFrom = new Map<string, string[]>();
    for (const dep of stage.deps) {
      for (const { stage: producer, out } of outputs) {
        if (!overlaps(dep.path, out.path)) continue;
        if (producer === stage)
          throw fail(
            stage,
            dep.at,
            `dep '${dep.path}' is also an output of the same stage ('${out.path}'); a stage cannot read what it writes`,
          );
        const list = byFrom.get(producer.name) ?? [];
        if (!list.includes(dep.path)) list.push(dep.path);
        byFrom.set(producer.name, list);
      }
    }
    upstream.set(
      stage.name,
      [...byFrom].map(([from, paths]) => ({ from, to: stage.name, paths })),
    );
    for (const from of byFrom.keys()) downstream.get(from)?.push(stage.name);
  }
  const byName = new Map(stages.map((s) => [s.name, s]));
  const order = topologicalOrder(stages, upstream, (cycle) => {
    const first = byName.get(cycle[0] as string) as Stage;
    return fail(
      first,
      first.at,
      `the stages form a cycle: ${cycle.join(" -> ")}; a stage cannot depend, directly or not, on its own outputs`,
    );
  });
  return { order, byName, upstream, downstream, groups: pipeline.groups, source };
}

/** Kahn's order, stable in keel.yaml order; a cycle is found by DFS and reported. */
function topologicalOrder(
  stages: readonly Stage[],
  upstream: ReadonlyMap<string, readonly Edge[]>,
  cycleError: (cycle: string[]) => Error,
): Stage[] {
  const cycle = findCycle(stages, upstream);
  if (cycle !== null) throw cycleError(cycle);
  const done = new Set<string>();
  const order: Stage[] = [];
  while (order.length < stages.length) {
    for (const s of stages) {
      if (done.has(s.name)) continue;
      if ((upstream.get(s.name) ?? []).every((e) => done.has(e.from))) {
        done.add(s.name);
        order.push(s);
      }
    }
  }
  return order;
}

/** A cycle as `[a, b, a]` (a reads b... reads a), or null. */
function findCycle(
  stages: readonly Stage[],
  upstream: ReadonlyMap<string, readonly Edge[]>,
): string[] | null {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (name: string): string[] | null => {
    state.set(name, "open");
    stack.push(name);
    for (const e of upstream.get(name) ?? []) {
      const s = state.get(e.from);
      if (s === "open") {
        // Reverse so the cycle reads in data-flow order: producer -> consumer.
        return [...stack.slice(stack.indexOf(e.from)), e.from].reverse();
      }
      if (s === undefined) {
        const found = visit(e.from);
        if (found !== null) return found;
      }
    }
    stack.pop();
    state.set(name, "done");
    return null;
  };
  for (const s of stages) {
    if (state.has(s.name)) continue;
    const found = visit(s.name);
    if (found !== null) return found;
  }
  return null;
}

/**
 * Check the pipeline against the workspace under `root`: every dep no stage writes exists,
 * every wdir is a folder, and no output is also tracked by a `.keel` pointer (`keel data add`).
 * @throws PipelineSpecError naming the stage, the path and the fix.
 */
export async function checkWorkspace(graph: PipelineGraph, root: string): Promise<void> {
  const fail = (stage: Stage, at: readonly (string | number)[], problem: string): Error =>
    graph.source === null
      ? invalidParam(`stage '${stage.name}': ${problem}`)
      : graph.source.error(at, problem);
  for (const stage of graph.order) {
    if (
      stage.wdir !== "." &&
      !(await lstat(join(root, stage.wdir)).then(
        (st) => st.isDirectory(),
        () => false,
      ))
    ) {
      throw fail(
        stage,
        [...stage.at, "wdir"],
        `wdir '${stage.wdir}' of stage '${stage.name}' is not a folder of the project`,
      );
    }
    for (const out of stage.outputs) {
      if (await exists(join(root, `${out.path}${POINTER_SUFFIX}`))) {
        throw fail(
          stage,
          out.at,
          `output '${out.path}' is also tracked by ${out.path}${POINTER_SUFFIX} (keel data add); keel.lock versions stage outputs, so delete the pointer`,
        );
      }
    }
    const produced = new Set((graph.upstream.get(stage.name) ?? []).flatMap((e) => e.paths));
    for (const dep of stage.deps) {
      if (produced.has(dep.path) || (await exists(join(root, dep.path)))) continue;
      const tracked = await exists(join(root, `${dep.path}${POINTER_SUFFIX}`));
      const problem = tracked
        ? `dep '${dep.path}' of stage '${stage.name}' is tracked (${dep.path}${POINTER_SUFFIX}) but not in the workspace; run keel data checkout ${dep.path} (or keel data pull)`
        : `dep '${dep.path}' of stage '${stage.name}' does not exist and no stage writes it; create it, fix the path, or add the stage that makes it`;
      throw fail(stage, dep.at, problem);
    }
  }
}

async function exists(abs: string): Promise<boolean> {
  try {
    await lstat(abs);
    return true;
  } catch (e) {
    if (isMissing(e)) return false;
    throw e;
  }
}

/**
 * The stages `keel run A B` runs: the named ones (a generator name means all its stages) and
 * everything upstream of them, in topological order. No names: every stage.
 * @throws KeelError INVALID_PARAMETER_VALUE for an unknown name, listing the stages.
 */
export function selectStages(graph: PipelineGraph, targets: readonly string[]): Stage[] {
  if (targets.length === 0) return [...graph.order];
  const wanted = new Set<string>();
  const add = (name: string): void => {
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const e of graph.upstream.get(name) ?? []) add(e.from);
  };
  for (const t of targets) {
    const names = graph.groups.get(t) ?? (graph.byName.has(t) ? [t] : null);
    if (names === null) {
      const known = graph.order.map((s) => s.name);
      throw invalidParam(
        `Unknown stage '${t}'; the pipeline has: ${known.length ? known.join(", ") : "(no stages: add some under stages: in keel.yaml)"}`,
      );
    }
    names.forEach(add);
  }
  return graph.order.filter((s) => wanted.has(s.name));
}

/** Every stage downstream of `name` (not including it). */
export function descendants(graph: PipelineGraph, name: string): Set<string> {
  const out = new Set<string>();
  const visit = (n: string): void => {
    for (const d of graph.downstream.get(n) ?? []) {
      if (!out.has(d)) {
        out.add(d);
        visit(d);
      }
    }
  };
  visit(name);
  return out;
}

/** Stages by depth: layer 0 reads no stage, layer k reads at least one stage of layer k-1. */
export function layers(graph: PipelineGraph): Stage[][] {
  const depth = new Map<string, number>();
  const out: Stage[][] = [];
  for (const s of graph.order) {
    const d = Math.max(-1, ...(graph.upstream.get(s.name) ?? []).map((e) => depth.get(e.from) ?? 0)) + 1;
    depth.set(s.name, d);
    out[d] ??= [];
    out[d]!.push(s);
  }
  return out;
}
