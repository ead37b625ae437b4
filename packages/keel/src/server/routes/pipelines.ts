/**
 * `GET /api/2.0/keel/pipelines/last-run`: the newest `keel run` (tag `keel.command=run`) with its
 * stage runs (tag `keel.stage`), their status, durations and skip/restore flags, and the stage
 * graph of the project's keel.yaml (`keel dag --json`) for the edges between them.
 */
import { z } from "zod";
import { workspaceAt } from "../../data/versioning/workspace.js";
import { isKeelError } from "../../errors.js";
import type { DagJson } from "../../pipeline/render-dag.js";
import { PIPELINE_TAGS } from "../../pipeline/stage-tracking.js";
import type { Run } from "../../store/entities.js";
import type { MetadataStore } from "../../store/metadata-store.js";
import { defineRoute, type Route } from "../route.js";
import { toWireRunInfo } from "../wire.js";
import { searchAllRuns, serverProjectRoot } from "./ui-support.js";

/** One stage of a pipeline run. */
export interface StageRunView {
  name: string;
  runId: string;
  status: string;
  startTime: number;
  endTime: number | null;
  skipped: boolean;
  restored: boolean;
  command: string | null;
}

const tag = (run: Run, key: string) => run.data.tags.find((t) => t.key === key)?.value;

/** The stage graph of the server's project, or null without a readable pipeline. */
async function projectDag(): Promise<DagJson | null> {
  try {
    const [{ openPipeline }, { dagJson }] = await Promise.all([
      import("../../pipeline/open-pipeline.js"),
      import("../../pipeline/render-dag.js"),
    ]);
    const { graph } = await openPipeline(workspaceAt(serverProjectRoot()), { checkWorkspace: false });
    return dagJson(graph);
  } catch (e) {
    // No keel.yaml stages (or a broken one): the runs still show, without edges.
    if (isKeelError(e)) return null;
    throw e;
  }
}

/** The newest pipeline run, its stages and the project's stage graph. */
export async function lastPipelineRun(store: MetadataStore) {
  const [run] = await searchAllRuns(
    store,
    `tags.\`${PIPELINE_TAGS.command}\` = 'run'`,
    ["attributes.start_time DESC"],
    1,
  );
  if (run === undefined) return { run: null, stages: [], dag: await projectDag() };
  const children = await store.searchRuns({
    experimentIds: [run.info.experimentId],
    filter: `tags.\`mlflow.parentRunId\` = '${run.info.runId}'`,
    orderBy: ["attributes.start_time ASC"],
    maxResults: 1000,
  });
  const stages: StageRunView[] = children.items
    .filter((c) => tag(c, PIPELINE_TAGS.stage) !== undefined)
    .map((c) => ({
      name: tag(c, PIPELINE_TAGS.stage)!,
      runId: c.info.runId,
      status: c.info.status,
      startTime: c.info.startTime,
      endTime: c.info.endTime ?? null,
      skipped: tag(c, PIPELINE_TAGS.skipped) === "true",
      restored: tag(c, PIPELINE_TAGS.restored) === "true",
      command: tag(c, PIPELINE_TAGS.stageCommand) ?? null,
    }));
  return { run: toWireRunInfo(run.info), stages, dag: await projectDag() };
}

/** Pipeline routes. */
export const PIPELINE_ROUTES: Route[] = [
  defineRoute({
    rpc: "getLastPipelineRun",
    method: "GET",
    path: "/pipelines/last-run",
    summary:
      "The newest `keel run`: its stage runs (status, times, skipped/restored) and the project's stage graph (`keel dag --json`).",
    request: z.object({}),
    handler: async (_req, { store }) => lastPipelineRun(store),
  }),
];
