/**
 * `keel run`: the stages in topological order, independent ones in parallel (up to `jobs`).
 * Each stage is skipped when its command, params, deps and outputs match keel.lock, has its
 * outputs put back from the cache when only they differ and the cache has them, and runs
 * otherwise: outputs are deleted first (stale files cannot pass as new), the command runs, and
 * only on success are the outputs saved to the data cache and the stage's keel.lock entry
 * replaced (atomically). A failed stage keeps its old entry, saves nothing, and stops the
 * stages below it; independent stages carry on (`keep going`, unlike DVC's default).
 */
import { join } from "node:path";
import { StatCache } from "../data/versioning/stat-cache.js";
import type { Workspace } from "../data/versioning/workspace.js";
import type { Tracker } from "../track/tracker.js";
import type { CommandCatalog } from "./builtin-steps.js";
import { readLock } from "./lockfile.js";
import { openPipeline } from "./open-pipeline.js";
import { selectStages } from "./pipeline-graph.js";
import { pipelineStatus } from "./pipeline-status.js";
import type { StagePlan } from "./plan-stage.js";
import type { RunReport, RunReporter, StageOutcome, StageResult } from "./run-report.js";
import { schedule } from "./schedule-stages.js";
import { LOCK_FILE } from "./spec-keys.js";
import { StageRunner } from "./stage-runner.js";
import { PIPELINE_TAGS, runParams } from "./stage-tracking.js";

export type { RunReport, RunReporter, StageOutcome, StageResult } from "./run-report.js";

/** Options of {@link runPipeline}. */
export interface RunPipelineOptions {
  /** Stages to run with everything upstream (a generator name means all its stages); none: all. */
  readonly targets?: readonly string[] | undefined;
  /** Run the selected stages even when unchanged. */
  readonly force?: boolean | undefined;
  /** Only report what would happen. */
  readonly dryRun?: boolean | undefined;
  /** Stages run at once (default 1). */
  readonly jobs?: number | undefined;
  /** The keel command tree, for `uses:` stages. */
  readonly catalog?: CommandCatalog | undefined;
  /** Where to record runs; null or absent: untracked. */
  readonly tracker?: Tracker | null | undefined;
  /** Experiment of the pipeline run (default: the tracker's). */
  readonly experiment?: string | undefined;
  /** Extra environment for the commands (e.g. KEEL_TRACKING_URI). */
  readonly env?: Readonly<Record<string, string>> | undefined;
  readonly reporter?: RunReporter | undefined;
}

/**
 * Run the pipeline of workspace `ws`.
 * @throws PipelineSpecError for an invalid pipeline (nothing runs); stage failures are reported, not thrown.
 */
export async function runPipeline(ws: Workspace, options: RunPipelineOptions = {}): Promise<RunReport> {
  if (options.dryRun) {
    const plans = await pipelineStatus(ws, options);
    return { runId: null, stages: plans.map(dryOutcome), failed: [], warnings: [] };
  }
  const { pipeline, graph } = await openPipeline(ws, { catalog: options.catalog });
  const selected = selectStages(graph, options.targets ?? []);
  const lock = new Map(await readLock(ws.root));
  const stat = StatCache.open(ws.statePath);
  try {
    const allNames = new Set(pipeline.stages.map((s) => s.name));
    const parent = options.tracker
      ? await options.tracker.startRun({
          experiment: options.experiment,
          runName: "pipeline",
          tags: {
            [PIPELINE_TAGS.command]: "run",
            [PIPELINE_TAGS.targets]: (options.targets ?? []).join(" ") || "(all)",
          },
        })
      : null;
    try {
      if (parent !== null) {
        const params = runParams(selected);
        if (Object.keys(params).length > 0) await parent.logParams(params);
      }
      const runner = new StageRunner(ws, stat, lock, allNames, parent, {
        ...options,
        store: options.tracker?.store,
      });
      const stages = await schedule(
        selected,
        graph.upstream,
        Math.max(1, options.jobs ?? 1),
        (s, i) => runner.run(s, i, selected.length),
        options.reporter,
      );
      const failed = stages.filter((o) => o.result === "failed").map((o) => o.name);
      if (parent !== null) {
        if (lock.size > 0) {
          // The lock as this run left it, beside the run (a copy; keel.lock itself stays in git).
          await parent.logArtifact(join(ws.root, LOCK_FILE)).catch((e: Error) => {
            runner.warnings.push(`could not attach ${LOCK_FILE} to the pipeline run: ${e.message}`);
          });
        }
        await parent.end(failed.length > 0 ? "FAILED" : "FINISHED");
      }
      return { runId: parent?.id ?? null, stages, failed, warnings: runner.warnings };
    } catch (e) {
      if (parent !== null && !parent.ended) await parent.end("FAILED").catch(() => undefined);
      throw e;
    }
  } finally {
    stat.close();
  }
}

function dryOutcome(p: StagePlan): StageOutcome {
  const result: StageResult =
    p.action === "run" ? "would-run" : p.action === "restore" ? "would-restore" : "skipped";
  return { name: p.stage.name, result, reasons: p.reasons, durationMs: 0 };
}
