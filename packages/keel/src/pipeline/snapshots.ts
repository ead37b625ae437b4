/**
 * The metrics and params of one {@link Revision}:
 * - workspace / git revision: the pipeline at that revision says which files are metrics and
 *   which params its stages read; metrics files not committed to git (cached outputs) are read
 *   from the data cache through that revision's keel.lock, as DVC does;
 * - `run:<id>`: the metrics files a pipeline or stage run logged (its own and its child runs'
 *   `metrics/` artifacts); for any other run, its logged metrics (compared by name only); params
 *   are the run's params.
 */
import { readFile } from "node:fs/promises";
import type { ArtifactStore } from "../artifacts/artifact-store.js";
import { objectKey } from "../data/versioning/object-key.js";
import type { Workspace } from "../data/versioning/workspace.js";
import type { Run } from "../store/entities.js";
import type { Tracker } from "../track/tracker.js";
import type { CommandCatalog } from "./builtin-steps.js";
import { loadPipeline, type Pipeline } from "./load-pipeline.js";
import { parseLock } from "./lockfile.js";
import { parseMetrics } from "./metrics-values.js";
import { PipelineSpecError } from "./pipeline-errors.js";
import { type Revision, revisionLabel } from "./revision.js";
import { gitReader, type SourceReader, workspaceReader } from "./source-reader.js";
import { LOCK_FILE } from "./spec-keys.js";
import { METRICS_ARTIFACTS, paramRunKey } from "./stage-tracking.js";

/** Metrics of one revision: file -> key -> value. */
export interface MetricsSnapshot {
  readonly label: string;
  readonly files: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** True for a plain run: one unnamed file, compared by metric name only. */
  readonly flat: boolean;
}

/** Params of one revision: run-style key (`train.lr`, `other.yaml:k`) -> value as text. */
export interface ParamsSnapshot {
  readonly label: string;
  readonly values: ReadonlyMap<string, string>;
}

/** What reading a revision needs. */
export interface SnapshotContext {
  readonly ws: Workspace;
  readonly catalog?: CommandCatalog | undefined;
  /** Opens the tracker for `run:` revisions (only called when one is used). */
  readonly tracker: () => Promise<Tracker>;
}

/** Metrics of `rev`. */
export async function metricsAt(ctx: SnapshotContext, rev: Revision): Promise<MetricsSnapshot> {
  const label = revisionLabel(rev);
  if (rev.kind === "run") return runMetrics(await ctx.tracker(), rev.runId, label);
  const reader = readerOf(ctx.ws, rev);
  const pipeline = await pipelineAt(ctx, reader);
  const files = new Map<string, Map<string, number>>();
  let lockText: Promise<string | null> | undefined;
  for (const stage of pipeline.stages) {
    for (const out of stage.outputs) {
      if (out.kind !== "metrics") continue;
      let text = await reader.read(out.path);
      if (text === null && rev.kind === "git") {
        lockText ??= reader.read(LOCK_FILE);
        text = await cachedOutput(ctx.ws, await lockText, stage.name, out.path);
      }
      if (text !== null) files.set(out.path, parseMetrics(text, `${out.path} (${label})`));
    }
  }
  return { label, files, flat: false };
}

/** Params the stages of `rev` read (or a run's params). */
export async function paramsAt(ctx: SnapshotContext, rev: Revision): Promise<ParamsSnapshot> {
  const label = revisionLabel(rev);
  if (rev.kind === "run") {
    const run = await (await ctx.tracker()).store.getRun(rev.runId);
    return { label, values: new Map(run.data.params.map((p) => [p.key, p.value])) };
  }
  const pipeline = await pipelineAt(ctx, readerOf(ctx.ws, rev));
  const values = new Map<string, string>();
  for (const s of pipeline.stages) for (const p of s.params) values.set(paramRunKey(p), paramText(p.value));
  return { label, values };
}

/** A param value as the tracker stores it: strings as they are, the rest as JSON. */
export function paramText(v: unknown): string {
  return typeof v === "string" ? v : (JSON.stringify(v) ?? "null");
}

function readerOf(ws: Workspace, rev: Exclude<Revision, { kind: "run" }>): SourceReader {
  return rev.kind === "workspace" ? workspaceReader(ws.root) : gitReader(ws.root, rev.rev);
}

/** The pipeline as `reader` sees it; errors at a git revision say which. */
async function pipelineAt(ctx: SnapshotContext, reader: SourceReader): Promise<Pipeline> {
  try {
    return await loadPipeline({ reader, catalog: ctx.catalog });
  } catch (e) {
    if (reader.rev !== null && e instanceof PipelineSpecError)
      e.message = `at git revision ${reader.rev}: ${e.message}`;
    throw e;
  }
}

/** A cached output's text through a lock's record of it, or null when not recorded or not cached. */
async function cachedOutput(
  ws: Workspace,
  lockText: string | null,
  stage: string,
  path: string,
): Promise<string | null> {
  if (lockText === null) return null;
  const out = parseLock(lockText)
    .get(stage)
    ?.outs.find((o) => o.path === path);
  if (out === undefined || out.meta.isdir) return null;
  try {
    return await readFile(ws.cache.pathOf(objectKey(out.hash.value)), "utf8");
  } catch {
    return null;
  }
}

/** Metrics files logged by a run and its children, else the run's own metrics (flat). */
async function runMetrics(tracker: Tracker, runId: string, label: string): Promise<MetricsSnapshot> {
  const run = await tracker.store.getRun(runId);
  const files = new Map<string, Map<string, number>>();
  for (const r of [run, ...(await childRuns(tracker, run))]) {
    const artifacts = await tracker.artifactsOf(r.info.runId);
    for (const path of await listFiles(artifacts, METRICS_ARTIFACTS)) {
      const text = (await artifacts.get(path).then((s) => s.toArray())).map((c) => Buffer.from(c)).join("");
      files.set(
        path.slice(METRICS_ARTIFACTS.length + 1),
        parseMetrics(text, `${path} of run ${r.info.runId}`),
      );
    }
  }
  if (files.size > 0) return { label, files, flat: false };
  return {
    label,
    files: new Map([["", new Map(run.data.metrics.map((m) => [m.key, m.value]))]]),
    flat: true,
  };
}

async function childRuns(tracker: Tracker, run: Run): Promise<Run[]> {
  const out: Run[] = [];
  let pageToken: string | undefined;
  do {
    const page = await tracker.store.searchRuns({
      experimentIds: [run.info.experimentId],
      filter: `tags.mlflow.parentRunId = '${run.info.runId}'`,
      pageToken,
    });
    out.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return out;
}

/** Every file below `folder` of an artifact store. */
async function listFiles(store: ArtifactStore, folder: string): Promise<string[]> {
  const out: string[] = [];
  for (const f of await store.list(folder)) {
    if (f.isDir) out.push(...(await listFiles(store, f.path)));
    else out.push(f.path);
  }
  return out;
}
