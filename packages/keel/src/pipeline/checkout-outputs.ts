/**
 * `keel data checkout` for pipeline outputs (DVC's `dvc checkout`): make the workspace hold the
 * outputs keel.lock records, from the data cache. After `git checkout` of an older commit, this
 * brings back that commit's outputs byte for byte, with the same verification and refusal to
 * overwrite unsaved changes as checking out a pointer.
 */
import { lstat } from "node:fs/promises";
import {
  type CheckoutResult,
  checkoutData,
  type RestoreOutcome,
  restoreContent,
} from "../data/versioning/checkout-data.js";
import { isContentCached } from "../data/versioning/content-objects.js";
import { parseDatasetRef } from "../data/versioning/dataset-ref.js";
import { findPointers } from "../data/versioning/find-pointers.js";
import type { ProgressSink } from "../data/versioning/progress-sink.js";
import type { RecordedContent } from "../data/versioning/transfer-data.js";
import { dataTarget, type Workspace } from "../data/versioning/workspace.js";
import { readLock } from "./lockfile.js";
import { overlaps } from "./stage-paths.js";

/** One restored output. */
export interface OutputCheckout extends RestoreOutcome {
  readonly stage: string;
  /** Root-relative output path. */
  readonly path: string;
}

/** What {@link checkoutLockOutputs} did. */
export interface OutputsCheckoutReport {
  readonly outputs: readonly OutputCheckout[];
  /** Recorded outputs whose content is not in the local cache (nothing was changed for them). */
  readonly notInCache: readonly string[];
}

/** Options of {@link checkoutLockOutputs}. */
export interface OutputsCheckoutOptions {
  /** Only outputs at, inside or around these root-relative paths (default: all). */
  readonly paths?: readonly string[] | undefined;
  /** Overwrite workspace changes that are not in the cache. */
  readonly force?: boolean | undefined;
  readonly progress?: ProgressSink | undefined;
}

/** The cached outputs keel.lock records (not `cache: false` ones), by path. */
export async function cachedLockOutputs(root: string): Promise<RecordedContent[]> {
  const byPath = new Map<string, RecordedContent>();
  for (const stage of (await readLock(root)).values()) {
    for (const o of stage.outs) {
      if (!o.cache) continue;
      byPath.set(o.path, { path: o.path, digest: o.hash.value, isdir: o.meta.isdir, size: o.meta.size });
    }
  }
  return [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Restore every cached output recorded in keel.lock (or those matching `paths`).
 * @throws CorruptedObjectError or KeelError INVALID_STATE as `keel data checkout` does.
 */
export async function checkoutLockOutputs(
  ws: Workspace,
  options: OutputsCheckoutOptions = {},
): Promise<OutputsCheckoutReport> {
  const lock = await readLock(ws.root);
  const outputs: OutputCheckout[] = [];
  const notInCache: string[] = [];
  for (const [stage, entry] of [...lock].sort(([a], [b]) => a.localeCompare(b))) {
    for (const out of entry.outs) {
      if (!out.cache) continue; // committed to git (or never saved): git checkout restores it
      if (options.paths !== undefined && !options.paths.some((p) => overlaps(p, out.path))) continue;
      const content = { digest: out.hash.value, isdir: out.meta.isdir, size: out.meta.size };
      if (!(await isContentCached(ws.cache, content))) {
        notInCache.push(out.path);
        continue;
      }
      const outcome = await restoreContent(ws, dataTarget(ws, out.path, ws.root), content, {
        force: options.force,
        progress: options.progress,
        label: `output ${out.path} of stage '${stage}'`,
      });
      outputs.push({ stage, path: out.path, ...outcome });
    }
  }
  return { outputs, notInCache };
}

/**
 * `keel data checkout PATH` where PATH has no pointer but is (or holds) pipeline outputs:
 * restore those. Null when PATH has a pointer, names a dataset version, or matches no output.
 */
export async function checkoutOutputsAt(
  ws: Workspace,
  userPath: string,
  options: Omit<OutputsCheckoutOptions, "paths"> & { cwd?: string | undefined } = {},
): Promise<OutputsCheckoutReport | null> {
  if (parseDatasetRef(userPath).kind !== "path") return null;
  const target = dataTarget(ws, userPath, options.cwd);
  const hasPointer = await lstat(target.pointerAbs).then(
    () => true,
    () => false,
  );
  if (hasPointer) return null;
  const report = await checkoutLockOutputs(ws, { ...options, paths: [target.rel] });
  return report.outputs.length + report.notInCache.length === 0 ? null : report;
}

/** What {@link checkoutEverything} did. */
export interface WorkspaceCheckoutReport extends OutputsCheckoutReport {
  readonly pointers: readonly CheckoutResult[];
}

/**
 * `keel data checkout` without a path (DVC's `dvc checkout`): every pointer in the workspace,
 * then every cached output keel.lock records.
 */
export async function checkoutEverything(
  ws: Workspace,
  options: Omit<OutputsCheckoutOptions, "paths"> = {},
): Promise<WorkspaceCheckoutReport> {
  const pointers: CheckoutResult[] = [];
  for (const rel of await findPointers(ws.root)) {
    pointers.push(
      await checkoutData(ws, null, rel, { cwd: ws.root, force: options.force, progress: options.progress }),
    );
  }
  return { pointers, ...(await checkoutLockOutputs(ws, options)) };
}
