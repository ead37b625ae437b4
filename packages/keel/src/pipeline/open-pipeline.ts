/**
 * The pipeline of the workspace, loaded and checked: what `keel run`, `status` and `dag` start from.
 */
import type { Workspace } from "../data/versioning/workspace.js";
import type { CommandCatalog } from "./builtin-steps.js";
import { loadPipeline, type Pipeline } from "./load-pipeline.js";
import { buildGraph, checkWorkspace, type PipelineGraph } from "./pipeline-graph.js";
import { workspaceReader } from "./source-reader.js";

/** A loaded, checked pipeline. */
export interface OpenPipeline {
  readonly pipeline: Pipeline;
  readonly graph: PipelineGraph;
}

/**
 * Load keel.yaml's stages from the workspace, build the graph, and (unless `checkWorkspace` is
 * false) check it against the workspace (deps exist, wdirs are folders, outputs are not pointer-tracked).
 * @throws PipelineSpecError for any problem, naming stage, key and line.
 */
export async function openPipeline(
  ws: Workspace,
  options: { catalog?: CommandCatalog | undefined; checkWorkspace?: boolean } = {},
): Promise<OpenPipeline> {
  const pipeline = await loadPipeline({ reader: workspaceReader(ws.root), catalog: options.catalog });
  const graph = buildGraph(pipeline);
  if (options.checkWorkspace !== false) await checkWorkspace(graph, ws.root);
  return { pipeline, graph };
}
