/**
 * `keel status` (and `keel run --dry-run`): what each stage would do and why, computed from
 * keel.lock and the workspace without running, deleting or caching anything.
 */
import { StatCache } from "../data/versioning/stat-cache.js";
import type { Workspace } from "../data/versioning/workspace.js";
import type { CommandCatalog } from "./builtin-steps.js";
import { readLock } from "./lockfile.js";
import { openPipeline } from "./open-pipeline.js";
import { selectStages } from "./pipeline-graph.js";
import { planPipeline, type StagePlan } from "./plan-stage.js";

/** Options of {@link pipelineStatus}. */
export interface StatusOptions {
  /** Only these stages and their upstream (default: all). */
  readonly targets?: readonly string[] | undefined;
  /** Plan as `keel run --force` would. */
  readonly force?: boolean | undefined;
  readonly catalog?: CommandCatalog | undefined;
}

/** The plan of every selected stage, in topological order. */
export async function pipelineStatus(ws: Workspace, options: StatusOptions = {}): Promise<StagePlan[]> {
  const { graph } = await openPipeline(ws, { catalog: options.catalog });
  const stages = selectStages(graph, options.targets ?? []);
  const lock = await readLock(ws.root);
  const stat = StatCache.open(ws.statePath);
  try {
    return await planPipeline(ws, stat, graph, lock, stages, { force: options.force });
  } finally {
    stat.close();
  }
}
