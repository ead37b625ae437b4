/**
 * `keel data push` and `pull` with pipeline outputs (DVC's `dvc push` / `dvc pull`): besides the
 * pointers and dataset versions the user names, the cached outputs keel.lock records move too,
 * and a pull checks them out. Without targets: every pointer and every cached output. A target
 * that has no pointer at or below it but is, holds or lies inside an output names that output.
 */
import { parseDatasetRef } from "../data/versioning/dataset-ref.js";
import { pointersFor } from "../data/versioning/find-pointers.js";
import {
  pullData,
  pushData,
  type RecordedContent,
  type TransferOptions,
  type TransferResult,
} from "../data/versioning/transfer-data.js";
import { dataTarget, type Workspace } from "../data/versioning/workspace.js";
import { isKeelError } from "../errors.js";
import type { DatasetStore } from "../store/dataset-store.js";
import { cachedLockOutputs, checkoutLockOutputs, type OutputCheckout } from "./checkout-outputs.js";
import { overlaps } from "./stage-paths.js";

/** A transfer's result with the pipeline outputs a pull restored. */
export interface PipelineTransferResult extends TransferResult {
  /** Pull only: pipeline outputs checked out from the cache. */
  readonly outputs: readonly OutputCheckout[];
}

/** Options of {@link transferData}: as {@link TransferOptions}, `paths` being the user's targets. */
export type PipelineTransferOptions = Omit<TransferOptions, "pointers" | "recorded">;

/**
 * Push (`kind` "push") or pull the user's targets, pipeline outputs included; see the module
 * comment. A pull then restores the outputs it fetched (refusing, as checkout does, to overwrite
 * workspace changes that are not in the cache: such outputs become warnings).
 */
export async function transferData(
  kind: "push" | "pull",
  ws: Workspace,
  store: DatasetStore | null,
  options: PipelineTransferOptions = {},
): Promise<PipelineTransferResult> {
  const { recorded, pointerPaths } = await selectOutputs(ws, options.paths ?? [], options.cwd);
  const transfer: TransferOptions = {
    ...options,
    paths: pointerPaths,
    // Every target named an output only: no pointer moves (an empty path list would mean all).
    pointers: (options.paths ?? []).length === 0 || pointerPaths.length > 0,
    recorded,
  };
  if (kind === "push") return { ...(await pushData(ws, transfer, store)), outputs: [] };
  const pulled = await pullData(ws, store, transfer);
  if (recorded.length === 0) return { ...pulled, outputs: [] };
  // One output at a time: one that cannot be checked out (absent, or local changes that are not
  // in the cache) is a warning, as for pointers, and the others are still restored.
  const outputs: OutputCheckout[] = [];
  const warnings = [...pulled.warnings];
  for (const r of recorded) {
    try {
      const report = await checkoutLockOutputs(ws, { paths: [r.path], progress: options.progress });
      outputs.push(...report.outputs);
      for (const p of report.notInCache)
        warnings.push(`${p}: its data is neither on remote '${pulled.remote}' nor in the cache`);
    } catch (e) {
      if (!isKeelError(e)) throw e;
      warnings.push(`${r.path}: ${e.message}`);
    }
  }
  return { ...pulled, outputs, warnings };
}

/**
 * The cached outputs keel.lock records that the targets name (all of them without targets), and
 * the targets left for pointer lookup: those with a pointer at or below them, dataset versions,
 * and any that names neither a pointer nor an output (so its error is the usual one).
 */
async function selectOutputs(
  ws: Workspace,
  targets: readonly string[],
  cwd: string | undefined,
): Promise<{ recorded: RecordedContent[]; pointerPaths: string[] }> {
  const outputs = await cachedLockOutputs(ws.root);
  if (targets.length === 0) return { recorded: outputs, pointerPaths: [] };
  const recorded = new Map<string, RecordedContent>();
  const pointerPaths: string[] = [];
  for (const target of targets) {
    if (parseDatasetRef(target).kind !== "path") {
      pointerPaths.push(target);
      continue;
    }
    const rel = dataTarget(ws, target, cwd).rel;
    const named = outputs.filter((o) => overlaps(rel, o.path));
    for (const o of named) recorded.set(o.path, o);
    if (named.length === 0 || (await hasPointers(ws, target, cwd))) pointerPaths.push(target);
  }
  return { recorded: [...recorded.values()], pointerPaths };
}

/** True when a pointer exists at or below `target`. */
async function hasPointers(ws: Workspace, target: string, cwd: string | undefined): Promise<boolean> {
  try {
    return (await pointersFor(ws, [target], cwd)).length > 0;
  } catch (e) {
    if (isKeelError(e) && e.code === "RESOURCE_DOES_NOT_EXIST") return false;
    throw e;
  }
}
