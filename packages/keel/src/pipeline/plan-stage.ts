/**
 * Deciding what to do with a stage: skip it (inputs and outputs match keel.lock), restore
 * outputs from the cache (inputs match, some outputs are missing or modified but their
 * recorded content is cached), or run it. Also the whole-pipeline plan that `keel status` and
 * `keel run --dry-run` print, where a stage below one that will run is marked as following it.
 */
import { isContentCached } from "../data/versioning/content-objects.js";
import type { StatCache } from "../data/versioning/stat-cache.js";
import type { Workspace } from "../data/versioning/workspace.js";
import { inputReasons, needsRun, outputReasons, type Reason } from "./changed.js";
import { contentAt, sameContent } from "./content-state.js";
import type { LockedFile, LockedStage, Lockfile } from "./lockfile.js";
import type { PipelineGraph } from "./pipeline-graph.js";
import type { Stage } from "./stage.js";

/** What to do with a stage. */
export type StageAction = "run" | "restore" | "skip";

/** The decision for one stage and what it was based on. */
export interface StagePlan {
  readonly stage: Stage;
  readonly action: StageAction;
  /** Why it runs or restores (empty when skipped). */
  readonly reasons: readonly Reason[];
  /** Dep path -> content now (what keel.lock records after a run). */
  readonly deps: ReadonlyMap<string, LockedFile | null>;
  /** Recorded outputs to put back from the cache (action "restore"). */
  readonly restore: readonly LockedFile[];
}

/** Options of {@link planStage}. */
export interface PlanOptions {
  /** Run even when nothing changed. */
  readonly force?: boolean | undefined;
  /** Upstream stages that will run first (dry runs only: a real run plans after they ran). */
  readonly upstreamRunning?: readonly string[] | undefined;
  /** Outputs an upstream stage will restore first, by path (dry runs only). */
  readonly restoring?: ReadonlyMap<string, LockedFile> | undefined;
}

/** Decide what to do with `stage`, hashing its deps (and outputs, when inputs are unchanged). */
export async function planStage(
  ws: Workspace,
  stat: StatCache,
  stage: Stage,
  locked: LockedStage | undefined,
  options: PlanOptions = {},
): Promise<StagePlan> {
  // Frozen: neither hashed nor run, whatever changed; --force does not thaw it (as in DVC).
  if (stage.frozen)
    return { stage, action: "skip", reasons: [{ kind: "frozen" }], deps: new Map(), restore: [] };
  const deps = new Map<string, LockedFile | null>();
  for (const d of stage.deps) {
    deps.set(d.path, options.restoring?.get(d.path) ?? (await contentAt(ws, stat, d.path)));
  }
  const reasons: Reason[] = options.force ? [{ kind: "forced" }] : inputReasons(stage, locked, { deps });
  for (const up of options.upstreamRunning ?? []) reasons.push({ kind: "upstream", stage: up });
  if (reasons.length > 0 || locked === undefined) return { stage, action: "run", reasons, deps, restore: [] };

  const now = new Map<string, LockedFile | null>();
  const cached = new Set<string>();
  const lockedOuts = new Map(locked.outs.map((o) => [o.path, o]));
  for (const out of stage.outputs) {
    const current = await contentAt(ws, stat, out.path);
    now.set(out.path, current);
    const before = lockedOuts.get(out.path);
    if (
      before !== undefined &&
      !sameContent(current, before) &&
      (await isContentCached(ws.cache, {
        digest: before.hash.value,
        isdir: before.meta.isdir,
        size: before.meta.size,
      }))
    )
      cached.add(out.path);
  }
  const outReasons = outputReasons(stage, locked, now, (f) => cached.has(f.path));
  if (outReasons.some(needsRun)) return { stage, action: "run", reasons: outReasons, deps, restore: [] };
  if (outReasons.length === 0) return { stage, action: "skip", reasons: [], deps, restore: [] };
  const restore = outReasons.flatMap((r) => (r.kind === "out" ? [lockedOuts.get(r.path) as LockedFile] : []));
  return { stage, action: "restore", reasons: outReasons, deps, restore };
}

/**
 * Plan `stages` (in topological order) without running anything: a stage downstream of one
 * that will run is marked to run too ("upstream stage X will run"), since its inputs are
 * about to change.
 */
export async function planPipeline(
  ws: Workspace,
  stat: StatCache,
  graph: PipelineGraph,
  lock: Lockfile,
  stages: readonly Stage[],
  options: Pick<PlanOptions, "force"> = {},
): Promise<StagePlan[]> {
  const running = new Set<string>();
  const restoring = new Map<string, LockedFile>();
  const plans: StagePlan[] = [];
  for (const stage of stages) {
    const upstreamRunning = (graph.upstream.get(stage.name) ?? [])
      .map((e) => e.from)
      .filter((n) => running.has(n));
    const plan = await planStage(ws, stat, stage, lock.get(stage.name), {
      force: options.force,
      upstreamRunning,
      restoring,
    });
    if (plan.action === "run") running.add(stage.name);
    for (const f of plan.restore) restoring.set(f.path, f);
    plans.push(plan);
  }
  return plans;
}
