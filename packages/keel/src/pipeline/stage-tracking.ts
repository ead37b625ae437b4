/**
 * Recording a pipeline in the tracking store: one run per `keel run` (tag `keel.command=run`)
 * and one nested run per stage, with the stage's params, the numeric values of its metrics
 * files (and the files themselves as `metrics/<path>` artifacts, which `metrics diff run:ID`
 * reads back), its stdout/stderr as `logs/stdout.txt` and `logs/stderr.txt`, and its outcome.
 * Skipped stages get a run too, with `keel.stage.skipped=true` and no logs.
 */
import { lstat, readFile } from "node:fs/promises";
import { posix } from "node:path";
import { datasetInputFromRef } from "../data/versioning/dataset-input.js";
import { POINTER_SUFFIX } from "../data/versioning/pointer-file.js";
import { toAbs, type Workspace } from "../data/versioning/workspace.js";
import type { DatasetStore } from "../store/dataset-store.js";
import type { ActiveRun } from "../track/active-run.js";
import type { ParamValue } from "../track/tracker-config.js";
import { parseMetrics, trackingKey } from "./metrics-values.js";
import { DEFAULT_PARAMS_FILE } from "./spec-keys.js";
import type { Stage, StageParam } from "./stage.js";
import { commandText } from "./stage.js";

/** Tags pipelines set. */
export const PIPELINE_TAGS = Object.freeze({
  command: "keel.command",
  stage: "keel.stage",
  skipped: "keel.stage.skipped",
  restored: "keel.stage.restored",
  stageCommand: "keel.stage.cmd",
  targets: "keel.pipeline.targets",
});

/** Artifact folder of a stage run's metrics files. */
export const METRICS_ARTIFACTS = "metrics";

/** Longest tag value the store takes. */
const MAX_TAG = 5000;

/** A param's key in a run: `train.lr` for params.yaml, `other.yaml:train.lr` for other files. */
export function paramRunKey(p: Pick<StageParam, "file" | "key">): string {
  return p.file === DEFAULT_PARAMS_FILE ? p.key : `${p.file}:${p.key}`;
}

/** Params of `stages` as run params (one value per key). */
export function runParams(stages: readonly Stage[]): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const s of stages) for (const p of s.params) out[paramRunKey(p)] = (p.value ?? null) as ParamValue;
  return out;
}

/** Start a stage's nested run with its params and tags. */
export async function startStageRun(
  parent: ActiveRun,
  stage: Stage,
  how: { skipped?: boolean; restored?: boolean } = {},
): Promise<ActiveRun> {
  const cmd = commandText(stage.command);
  const tags: Record<string, string> = {
    [PIPELINE_TAGS.stage]: stage.name,
    [PIPELINE_TAGS.stageCommand]: (typeof cmd === "string" ? cmd : cmd.join(" && ")).slice(0, MAX_TAG),
  };
  if (how.skipped) tags[PIPELINE_TAGS.skipped] = "true";
  if (how.restored) tags[PIPELINE_TAGS.restored] = "true";
  const run = await parent.startChild({ runName: stage.name, tags });
  const params = runParams([stage]);
  if (Object.keys(params).length > 0) await run.logParams(params);
  return run;
}

/**
 * Log the numeric values of the stage's metrics files (keys prefixed with the file name when
 * the stage has several) and the files themselves. Unreadable files give a warning, not a
 * failure: the stage did run.
 * @returns warnings.
 */
export async function logStageMetrics(ws: Workspace, run: ActiveRun, stage: Stage): Promise<string[]> {
  const files = stage.outputs.filter((o) => o.kind === "metrics");
  const warnings: string[] = [];
  for (const f of files) {
    const abs = toAbs(ws, f.path);
    let values: Map<string, number>;
    try {
      values = parseMetrics(await readFile(abs, "utf8"), f.path);
    } catch (e) {
      warnings.push(`stage '${stage.name}': metrics ${(e as Error).message}`);
      continue;
    }
    const prefix = files.length > 1 ? `${posix.basename(f.path).replace(/\.[^.]*$/, "")}.` : "";
    const metrics: Record<string, number> = {};
    for (const [k, v] of values) metrics[trackingKey(`${prefix}${k}`)] = v;
    run.logMetrics(metrics);
    await run.logArtifact(abs, posix.join(METRICS_ARTIFACTS, posix.dirname(f.path)));
  }
  return warnings;
}

/**
 * Record the deps that are versioned data (they have a `.keel` pointer) as the run's inputs
 * (`NAME@N`, context `dep`), so lineage queries (`keel data usage`) find pipeline stages too.
 */
export async function logStageInputs(
  ws: Workspace,
  store: DatasetStore,
  run: ActiveRun,
  stage: Stage,
): Promise<void> {
  for (const dep of stage.deps) {
    const pointer = `${toAbs(ws, dep.path)}${POINTER_SUFFIX}`;
    if (
      !(await lstat(pointer).then(
        () => true,
        () => false,
      ))
    )
      continue;
    await run.logInput(await datasetInputFromRef(store, dep.path, { workspace: ws, cwd: ws.root }), "dep");
  }
}

/** Attach the stage's stdout and stderr logs as `logs/stdout.txt` and `logs/stderr.txt`. */
export async function logStageLogs(run: ActiveRun, stdoutPath: string, stderrPath: string): Promise<void> {
  await run.logArtifact(stdoutPath, "logs");
  await run.logArtifact(stderrPath, "logs");
}
